// The activity timeline: the event log as it arrives, newest first.

import { html } from './html.js';
import { time } from './format.js';
import { useDashboard } from './state.js';

export function Timeline() {
  const s = useDashboard();
  return html`<ol class="timeline" data-testid="timeline">
    ${s.timeline.map(
      (event) => html`<li data-seq=${event.seq}>
        <time>${time(event.at)}</time> <b>${event.actor ?? 'system'}</b> ${event.kind}
        ${event.subject !== null && event.subject !== undefined && html` <span class="subject">${event.subject}</span>`}
        ${event.target && html` → ${event.target}`}
        ${event.data?.title && html` <span class="title">${event.data.title}</span>`}
      </li>`,
    )}
  </ol>`;
}
