// The page's frame: project picker, project status, live indicator and the tabs of views.

import { useState } from 'preact/hooks';
import { html } from './html.js';
import { Board } from './board.js';
import { TaskDetail } from './task-detail.js';
import { Implementers } from './implementers.js';
import { Work } from './work.js';
import { Locks } from './locks.js';
import { Notes } from './notes.js';
import { Discussions } from './discussions.js';
import { Timeline } from './timeline.js';
import { Operations } from './operations.js';
import { openProject, setState, useDashboard } from './state.js';

const TABS = [
  ['board', 'Board', Board],
  ['implementers', 'Implementers', Implementers],
  ['locks', 'Locks', Locks],
  ['notes', 'Notes', Notes],
  ['discussions', 'Discussions', Discussions],
  ['activity', 'Activity', Timeline],
  ['operations', 'Operations', Operations],
];

export function App() {
  const s = useDashboard();
  const [tab, setTab] = useState('board');
  const View = TABS.find(([key]) => key === tab)[2];
  return html`
    <header>
      <h1>lockstep</h1>
      <select aria-label="project" value=${s.project ?? ''} onChange=${(e) => openProject(e.target.value)}>
        ${s.projects.map((p) => html`<option value=${p.id}>${p.root ?? p.id}</option>`)}
      </select>
      <${ProjectStatus} overview=${s.overview} />
      <span class=${`live live-${s.live}`} data-testid="live" data-seq=${s.seq} title=${`last event #${s.seq}`}>${s.live}</span>
    </header>
    ${s.error && html`<p class="error" role="alert">${s.error} <button onClick=${() => setState({ error: null })}>dismiss</button></p>`}
    <nav>
      ${TABS.map(([key, label]) => html`<button class=${key === tab ? 'active' : ''} onClick=${() => setTab(key)}>${label}</button>`)}
    </nav>
    <main class=${s.task || s.implementer ? 'with-side' : ''}>
      <section class="view"><${View} /></section>
      ${s.task && html`<aside class="side"><${TaskDetail} detail=${s.task} /></aside>`}
      ${!s.task && s.implementer && html`<aside class="side wide"><${Work} /></aside>`}
    </main>
  `;
}

function ProjectStatus({ overview }) {
  if (!overview) return null;
  const { context } = overview;
  return html`
    <span class=${`status status-${context.status}`} data-testid="project-status">${context.status}</span>
    ${context.description && html`<span class="context" title=${context.endState ?? ''}>${context.description}</span>`}
  `;
}
