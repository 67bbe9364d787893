// Implementers with liveness from evidence, their task, worktree and branch position, and the conflict
// forecast matrix: who would collide with whom (and with the target), on which files.

import { html } from './html.js';
import { ago, shortRev } from './format.js';
import { loaders, setState, useDashboard } from './state.js';

export function openWork(name) {
  setState({ implementer: name, work: null, task: null });
  loaders.work();
}

export function Implementers() {
  const s = useDashboard();
  return html`
    <table class="implementers">
      <thead><tr><th>name</th><th>liveness</th><th>task</th><th>worktree</th><th>branch</th><th>last commit</th><th>last tool call</th></tr></thead>
      <tbody>
        ${s.implementers.map((i) => {
          const position = i.lastCommit;
          return html`<tr data-implementer=${i.name}>
            <td><button class="link" onClick=${() => openWork(i.name)}>${i.name}</button> <small>${i.type}</small></td>
            <td><span class=${`badge live-${i.liveness}`}>${i.liveness}</span></td>
            <td>${i.task !== undefined && `#${i.task}`}</td>
            <td class="path">${i.worktree?.path ?? ''}</td>
            <td>${i.worktree?.branch ?? ''} ${position && html`<small>↑${position.ahead} ↓${position.behind}</small>`}</td>
            <td><code>${shortRev(i.worktree?.head)}</code> <span data-testid="last-commit">${i.lastCommit?.subject ?? ''}</span> <small>${ago(i.lastCommitAt)}</small></td>
            <td><code data-testid="last-tool">${i.lastTool ?? ''}</code> <small>${ago(i.lastSeenAt)}</small></td>
          </tr>`;
        })}
      </tbody>
    </table>
    <${Matrix} forecast=${s.forecast} />
  `;
}

/** Rows and columns are implementers (plus the target as the first column); a cell lists colliding files. */
export function Matrix({ forecast }) {
  if (!forecast) return null;
  const { rows, target } = forecast;
  if (rows.length === 0) return html`<p>No implementer branches to forecast.</p>`;
  const names = rows.map((row) => row.implementer);
  const cell = (files) =>
    files && files.length > 0
      ? html`<td class="conflict" title=${files.join('\n')}>${files.map((f) => html`<div>${f}</div>`)}</td>`
      : html`<td class="clean">✓</td>`;
  return html`
    <h3>Conflict forecast</h3>
    <table class="matrix" data-testid="matrix">
      <thead><tr><th></th><th>${target}</th>${names.map((n) => html`<th>${n}</th>`)}</tr></thead>
      <tbody>
        ${rows.map((row, index) => html`<tr data-row=${names[index]}>
          <th>${names[index]}</th>
          ${cell(row.target.conflicts)}
          ${names.map((other) => (other === row.implementer ? html`<td class="self">–</td>` : cell(row.others.find((o) => o.implementer === other)?.files)))}
        </tr>`)}
      </tbody>
    </table>
  `;
}
