// Approve / request changes, as a human: the same landing as task_approve, with its outcome shown
// (landed commit, conflicting files, or the failed gate's log).

import { useState } from 'preact/hooks';
import { html } from './html.js';
import { currentApi, setState, useDashboard } from './state.js';

async function act(run) {
  try {
    const result = await run();
    setState({ outcome: result, error: null });
  } catch (error) {
    setState({ outcome: null, error: `${error.code}: ${error.message}` });
  }
}

export function ReviewActions({ task }) {
  const s = useDashboard();
  const [feedback, setFeedback] = useState('');
  const [busy, setBusy] = useState(false);
  const run = (fn) => async () => {
    setBusy(true);
    await act(fn);
    setBusy(false);
  };
  const outcome = s.outcome?.id === task.id ? s.outcome : null;
  return html`
    <div class="review-actions">
      ${task.status === 'review' &&
      html`
        <button class="approve" disabled=${busy} onClick=${run(() => currentApi().approve(task.id))}>Approve and land</button>
        <textarea aria-label="feedback" placeholder="What needs to change" value=${feedback} onInput=${(e) => setFeedback(e.target.value)}></textarea>
        <button disabled=${busy || !feedback.trim()} onClick=${run(() => currentApi().requestChanges(task.id, feedback))}>Request changes</button>
      `}
      ${outcome && html`<${Outcome} outcome=${outcome} />`}
    </div>
  `;
}

function Outcome({ outcome }) {
  const landing = outcome.landing;
  if (!landing) return html`<p class="outcome" data-testid="outcome">Now ${outcome.status}.</p>`;
  if (landing.landed) {
    return html`<p class="outcome ok" data-testid="outcome">Landed on ${landing.target} as <code data-testid="landed-commit">${landing.commit}</code>${landing.alreadyLanded ? ' (already landed)' : ''}</p>`;
  }
  if (landing.reason === 'conflict') {
    return html`<div class="outcome bad" data-testid="outcome">
      Not landed: conflicts with ${landing.target} in
      <ul>${landing.conflicts.map((file) => html`<li>${file}</li>`)}</ul>
      The task went back to its owner.
    </div>`;
  }
  return html`<div class="outcome bad" data-testid="outcome">Not landed: the gate failed on ${landing.target}.<pre>${landing.gateLog}</pre></div>`;
}
