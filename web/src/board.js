// The task board: one column per status, filtered and searched in the store (the API pages the list).

import { html } from './html.js';
import { currentApi, loaders, setState, useDashboard } from './state.js';

const STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'changes_requested', 'done'];

export async function openTask(id) {
  setState({ task: { task: { id }, loading: true }, implementer: null });
  setState({ task: await currentApi().task(id) });
}

export function Board() {
  const s = useDashboard();
  const tasks = s.board.tasks;
  const shown = s.filter.status ? [s.filter.status] : STATUSES;
  return html`
    <${Filters} filter=${s.filter} total=${s.board.total} more=${s.board.more} shownCount=${tasks.length} />
    <div class="board">
      ${shown.map(
        (status) => html`
          <div class="column" data-status=${status}>
            <h3>${status.replace('_', ' ')} <small>${s.board.counts?.[status] ?? tasks.filter((t) => t.status === status).length}</small></h3>
            ${tasks.filter((t) => t.status === status).map((task) => html`<${Card} task=${task} />`)}
          </div>
        `,
      )}
    </div>
  `;
}

function Card({ task }) {
  return html`
    <button class="card" data-task=${task.id} onClick=${() => openTask(task.id)}>
      <span class="id">#${task.id}</span>
      <span class="title">${task.title}</span>
      <span class="meta">
        ${task.complexity} ${task.owner && html`· <b>${task.owner}</b>`}
        ${(task.tags ?? []).map((tag) => html` <span class="tag">${tag}</span>`)}
      </span>
    </button>
  `;
}

let searchTimer = null;

function Filters({ filter, total, more, shownCount }) {
  const change = (key, debounce) => (event) => {
    setState({ filter: { ...filter, [key]: event.target.value } });
    clearTimeout(searchTimer);
    searchTimer = setTimeout(loaders.board, debounce ? 200 : 0);
  };
  return html`
    <div class="filters">
      <input type="search" placeholder="Search tasks" aria-label="search tasks" value=${filter.q} onInput=${change('q', true)} />
      <select aria-label="status" value=${filter.status} onChange=${change('status')}>
        <option value="">all statuses</option>
        ${STATUSES.map((status) => html`<option value=${status}>${status}</option>`)}
      </select>
      <input placeholder="owner" aria-label="owner" value=${filter.owner} onInput=${change('owner', true)} />
      <input placeholder="tag" aria-label="tag" value=${filter.tag} onInput=${change('tag', true)} />
      <small>${total > shownCount ? `${shownCount} of ${total} shown: narrow the search` : more ? `first ${shownCount} shown, more match: narrow the search` : `${total ?? shownCount} tasks`}</small>
    </div>
  `;
}
