// What a human may do to the project as a whole: stop or complete it, stop an implementer, clean up or
// recover a worktree, approve the configuration values that need a human, admit a planner.

import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { currentApi, setState, useDashboard } from './state.js';

/** Asks before acting: every operation here is something agents feel at once. */
export async function runAction(label, run) {
  if (!window.confirm(`${label}?`)) return;
  try {
    const result = await run();
    setState({ notice: `${label}: done`, operation: result, error: null });
  } catch (error) {
    setState({ error: `${error.code}: ${error.message}` });
  }
}

export function Operations() {
  const s = useDashboard();
  const api = currentApi();
  if (!api) return null;
  return html`
    <div class="operations">
      ${s.notice && html`<p class="notice" data-testid="notice">${s.notice}</p>`}
      <h3>Project</h3>
      <button onClick=${() => runAction('Complete the project', () => api.setStatus('complete'))}>Complete</button>
      <button onClick=${() => runAction('Stop the project', () => api.setStatus('stopped'))}>Stop</button>
      <h3>Implementers</h3>
      <table>
        ${s.implementers.map((i) => html`<${ImplementerOperations} implementer=${i} />`)}
      </table>
      <button onClick=${() => runAction('Clean up every worktree whose work is safe', () => api.cleanupWorktree(s.implementers[0]?.name ?? 'all'))}>Clean up worktrees</button>
      <${ConfigApproval} seq=${s.seq} />
      <${PlannerAdmission} />
      ${s.operation && html`<pre class="result" data-testid="operation">${JSON.stringify(s.operation, null, 2)}</pre>`}
    </div>
  `;
}

function ImplementerOperations({ implementer }) {
  const api = currentApi();
  const [archives, setArchives] = useState(null);
  const list = async () => setArchives((await api.archives(implementer.name)).archives ?? []);
  return html`<tr>
    <td>${implementer.name}</td><td>${implementer.liveness}</td>
    <td><button onClick=${() => runAction(`Mark ${implementer.name} stopped`, () => api.stopImplementer(implementer.name))}>Mark stopped</button></td>
    <td>
      <button onClick=${list}>Archives</button>
      ${archives &&
      (archives.length === 0
        ? html` <small>none</small>`
        : archives.map(
            (a) => html` <button onClick=${() => runAction(`Recover ${a.archive}`, () => api.recoverArchive(implementer.name, a.archive))}>Recover ${a.archive}</button>`,
          ))}
    </td>
  </tr>`;
}

/** The guarded settings as .lockstep/config.json has them now; approving sends exactly the values shown. */
function ConfigApproval({ seq }) {
  const [settings, setSettings] = useState([]);
  useEffect(() => {
    currentApi()
      .config()
      .then((value) => setSettings(value.settings ?? []))
      .catch(() => setSettings([]));
  }, [seq]);
  const waiting = settings.filter((state) => !state.approved);
  return html`
    <h3>Configuration</h3>
    ${settings.length === 0 && html`<p>No setting needs a human's approval.</p>`}
    <ul class="settings">
      ${settings.map((state) => html`<li><b>${state.setting}</b> ${state.approved ? 'approved' : 'waiting'}<pre>${JSON.stringify(state.value, null, 2)}</pre></li>`)}
    </ul>
    ${waiting.length > 0 &&
    html`<button onClick=${() => runAction('Approve these configuration values', () => currentApi().approveConfig(waiting.map(({ setting, value }) => ({ setting, value }))))}>
      Approve ${waiting.length} value(s)
    </button>`}
  `;
}

/** A planner session waiting for a human's word (its name, as `coordination_init` reported it). */
function PlannerAdmission() {
  const [name, setName] = useState('');
  return html`
    <h3>Planner</h3>
    <input placeholder="planner name" aria-label="planner name" value=${name} onInput=${(e) => setName(e.target.value)} />
    <button disabled=${!name.trim()} onClick=${() => runAction(`Admit ${name} as planner`, () => currentApi().admitPlanner(name.trim()))}>Admit planner</button>
  `;
}
