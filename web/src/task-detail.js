// One task: its fields, review state (reviewed commit, verify log, verdicts), line comments and history.

import { html } from './html.js';
import { ago, shortRev, time } from './format.js';
import { CommentActions } from './comment-actions.js';
import { ReviewActions } from './review-actions.js';
import { openWork } from './implementers.js';
import { setState } from './state.js';

export function TaskDetail({ detail }) {
  const { task, events = [], comments = [] } = detail;
  if (detail.loading) return html`<p>Loading #${task.id}…</p>`;
  return html`
    <div class="task-detail" data-testid="task-detail">
      <button class="close" aria-label="close" onClick=${() => setState({ task: null, outcome: null })}>×</button>
      <h2>#${task.id} <span data-testid="task-title">${task.title}</span></h2>
      <p class="meta">
        <span class=${`badge status-${task.status}`} data-testid="task-status">${task.status}</span>
        ${task.complexity} · ${task.isolation ?? 'shared'} ${task.owner && html`· owner <b>${task.owner}</b>`}
        ${task.owner && task.isolation === 'worktree' && html` <button class="link" onClick=${() => openWork(task.owner)}>view work</button>`}
      </p>
      ${task.description && html`<p class="description">${task.description}</p>`}
      ${task.dependsOn?.length > 0 && html`<p>Depends on ${task.dependsOn.map((id) => `#${id}`).join(', ')}</p>`}
      ${task.reviewNotes && html`<h4>Review notes</h4><p class="pre">${task.reviewNotes}</p>`}
      ${task.feedback && html`<h4>Feedback</h4><p class="pre">${task.feedback}</p>`}
      ${task.reviewedRev && html`<p>Reviewed commit <code>${shortRev(task.reviewedRev)}</code></p>`}
      ${task.verify && html`<${Verify} verify=${task.verify} />`}
      ${task.landedRev && html`<p>Landed as <code>${shortRev(task.landedRev)}</code></p>`}
      <${ReviewActions} task=${task} />
      ${comments.length > 0 && html`<h4>Line comments</h4><${CommentList} comments=${comments} />`}
      <h4>History</h4>
      <ol class="history">
        ${events.map((event) => html`<li><time>${time(event.at)}</time> ${event.actor ?? 'system'} <b>${event.kind}</b> ${describe(event.data)}</li>`)}
      </ol>
    </div>
  `;
}

export function Verify({ verify }) {
  const passed = verify.exitCode === 0;
  return html`
    <details class=${passed ? 'verify ok' : 'verify bad'} open=${!passed}>
      <summary>verify ${passed ? 'passed' : `failed (exit ${verify.exitCode ?? 'signal/timeout'})`} in ${verify.durationMs} ms</summary>
      <pre>${verify.logTail}</pre>
    </details>
  `;
}

export function CommentList({ comments }) {
  return html`<ul class="comments">
    ${comments.map(
      (c) => html`<li class=${commentState(c)} data-testid="comment">
        <span class="where">${c.file}:${c.line} (${c.side})</span>
        <span class="state">${commentState(c)}</span>
        ${c.quote && html`<code class="quote">${c.quote}</code>`}
        <span class="body"><b>${c.author}</b>: ${c.body}</span>
        <small>${ago(c.at)}</small>
        ${(c.replies ?? []).map((r) => html`<span class="reply" data-testid="reply"><b>${r.author}</b>: ${r.body}</span>`)}
        <${CommentActions} comment=${c} />
      </li>`,
    )}
  </ul>`;
}

export const commentState = (c) => (c.resolved ? 'resolved' : c.outdated ? 'outdated' : 'open');

function describe(data) {
  if (!data) return '';
  return Object.entries(data)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}
