// Discussions: the list, and one thread with its messages and decision.

import { html } from './html.js';
import { time } from './format.js';
import { currentApi, setState, useDashboard } from './state.js';

async function openDiscussion(id) {
  setState({ discussion: await currentApi().discussion(id) });
}

export function Discussions() {
  const s = useDashboard();
  return html`
    <div class="discussions">
      <ul>
        ${s.discussions.map(
          (d) => html`<li><button class="link" onClick=${() => openDiscussion(d.id)}>#${d.id} ${d.topic}</button>
            <small>${d.category} · ${d.priority} · ${d.status} ${d.waitingOn ? `· waiting on ${d.waitingOn}` : ''}</small></li>`,
        )}
      </ul>
      ${s.discussion && html`<${Thread} detail=${s.discussion} />`}
    </div>
  `;
}

function Thread({ detail }) {
  const d = detail.discussion;
  const messages = d.messages;
  return html`
    <article class="thread">
      <h3>${d.topic} <small>${d.status}</small></h3>
      ${messages.map((m) => html`<div class="message"><time>${time(m.at)}</time> <b>${m.author}</b><p class="pre">${m.message}</p>${m.recommendation && html`<p class="pre"><i>Recommends:</i> ${m.recommendation}</p>`}</div>`)}
      ${d.decision && html`<p class="decision"><b>Decision${d.decidedBy ? ` by ${d.decidedBy}` : ''}:</b> ${d.decision}</p>${d.reasoning && html`<p class="pre">${d.reasoning}</p>`}`}
    </article>
  `;
}
