// What a human may do to the project as a whole: stop or complete it, stop an implementer, clean up or
// recover a worktree, approve configuration values that need a human, admit a planner.

import { useState } from 'preact/hooks';
import { html } from './html.js';
import { currentApi, setState, useDashboard } from './state.js';

/** Asks before acting: every operation here is something agents feel at once. */
export async function runAction(label, run) {
  if (!window.confirm(`${label}?`)) return;
  try {
    const result = await run();
    setState({ notice: `${label}: done`, outcome: result, error: null });
  } catch (error) {
    setState({ error: `${error.code}: ${error.message}` });
  }
}

export function Operations() {
  const s = useDashboard();
  const api = currentApi();
  const [planner, setPlanner] = useState('');
  const [archive, setArchive] = useState('');
  if (!api) return null;
  const pendingConfig = s.overview?.configApproval ?? s.overview?.pendingConfig;
  return html`
    <div class="operations">
      ${s.notice && html`<p class="notice" data-testid="notice">${s.notice}</p>`}
      <h3>Project</h3>
      <button onClick=${() => runAction('Complete the project', () => api.setStatus('complete'))}>Complete</button>
      <button onClick=${() => runAction('Stop the project', () => api.setStatus('stopped'))}>Stop</button>
      <h3>Implementers</h3>
      <table>
        ${s.implementers.map(
          (i) => html`<tr>
            <td>${i.name}</td><td>${i.liveness}</td>
            <td><button onClick=${() => runAction(`Mark ${i.name} stopped`, () => api.stopImplementer(i.name))}>Mark stopped</button></td>
            <td><button onClick=${() => runAction(`Clean up ${i.name}'s worktree`, () => api.cleanupWorktree(i.name))}>Clean up worktree</button></td>
            <td>
              <input placeholder="archive (blank: list)" aria-label="archive" value=${archive} onInput=${(e) => setArchive(e.target.value)} />
              <button onClick=${() => runAction(`Recover ${i.name}`, () => api.recoverArchive(i.name, archive || undefined))}>Recover</button>
            </td>
          </tr>`,
        )}
      </table>
      <h3>Configuration</h3>
      ${pendingConfig ? html`<pre>${JSON.stringify(pendingConfig, null, 2)}</pre>` : html`<p>Nothing waits for approval.</p>`}
      <button onClick=${() => runAction('Approve the project configuration as it is now', () => api.approveConfig())}>Approve configuration</button>
      <h3>Planner</h3>
      <input placeholder="planner name" aria-label="planner name" value=${planner} onInput=${(e) => setPlanner(e.target.value)} />
      <button disabled=${!planner} onClick=${() => runAction(`Admit ${planner} as planner`, () => api.admitPlanner(planner))}>Admit planner</button>
      ${s.outcome && html`<pre class="result">${JSON.stringify(s.outcome, null, 2)}</pre>`}
    </div>
  `;
}
