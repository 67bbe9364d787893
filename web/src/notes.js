// Notes between agents, newest first.

import { html } from './html.js';
import { time } from './format.js';
import { useDashboard } from './state.js';

export function Notes() {
  const s = useDashboard();
  if (s.notes.length === 0) return html`<p>No notes.</p>`;
  return html`<ul class="notes">
    ${[...s.notes].reverse().map(
      (note) => html`<li data-note=${note.id}>
        <time>${time(note.at)}</time> <b>${note.author}</b> → ${note.to ?? 'everyone'}
        <p class="pre">${note.text}</p>
      </li>`,
    )}
  </ul>`;
}
