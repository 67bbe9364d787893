// Held locks: holder, age, lease expiry, and a human's force-release.

import { html } from './html.js';
import { ago, until } from './format.js';
import { runAction } from './operations.js';
import { currentApi, useDashboard } from './state.js';

export function Locks() {
  const s = useDashboard();
  if (s.locks.length === 0) return html`<p>No locks held.</p>`;
  return html`
    <table class="locks">
      <thead><tr><th>path</th><th>kind</th><th>holder</th><th>taken</th><th>lease</th><th>note</th><th></th></tr></thead>
      <tbody>
        ${s.locks.map(
          (lock) => html`<tr data-lock=${lock.token}>
            <td class="path">${lock.path}</td><td>${lock.kind}</td><td>${lock.owner}</td>
            <td>${ago(lock.acquiredAt)}</td><td>${until(Date.parse(lock.expiresAt) || lock.expiresAt)}</td><td>${lock.note ?? ''}</td>
            <td><button onClick=${() => runAction(`force-release ${lock.path}`, () => currentApi().releaseLock(lock.token))}>Force release</button></td>
          </tr>`,
        )}
      </tbody>
    </table>
  `;
}
