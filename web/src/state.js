// The page's state and how it stays current: a first load of each view, then every live event is
// appended to the timeline and reloads only the resources that event names (one task, the locks...).

import { useEffect, useState } from 'preact/hooks';
import { listProjects, projectApi } from './api.js';
import { connectLive } from './live.js';

const TIMELINE_KEPT = 300;

const initial = {
  projects: [],
  project: null,
  overview: null,
  board: { tasks: [], total: 0, counts: {} },
  filter: { status: '', q: '', owner: '', tag: '' },
  task: null,
  implementers: [],
  implementer: null,
  work: null,
  forecast: null,
  locks: [],
  notes: [],
  discussions: [],
  discussion: null,
  timeline: [],
  seq: 0,
  live: 'connecting',
  outcome: null,
  error: null,
};

let state = initial;
const listeners = new Set();
let api = null;
let live = null;

export function setState(patch) {
  state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
  for (const listener of listeners) listener(state);
}

export function useDashboard() {
  const [, render] = useState(0);
  useEffect(() => {
    const listener = () => render((n) => n + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return state;
}

export const currentApi = () => api;

/** Runs a load and stores its result; failures show in the error bar instead of breaking the page. */
async function load(key, fetcher, pick = (value) => value) {
  try {
    const value = await fetcher();
    setState({ [key]: pick(value) });
  } catch (error) {
    setState({ error: `${error.code ?? 'ERROR'}: ${error.message}` });
  }
}

export const loaders = {
  overview: () => load('overview', () => api.overview()),
  board: () => load('board', () => api.tasks({ ...state.filter, limit: 200 })),
  implementers: () => load('implementers', () => api.implementers(), (value) => value.implementers),
  forecast: () => load('forecast', () => api.forecast()),
  locks: () => load('locks', () => api.locks(), (value) => value.locks),
  notes: () => load('notes', () => api.notes(), (value) => value.notes),
  discussions: () => load('discussions', () => api.discussions(), (value) => value.discussions),
  task: () => state.task && load('task', () => api.task(state.task.task.id)),
  work: () => state.implementer && load('work', () => api.work(state.implementer)),
  discussion: () => state.discussion && load('discussion', () => api.discussion(state.discussion.discussion.id)),
};

/** Which views an event can change. Unknown kinds (added later on the server) refresh the overview. */
function affected(event) {
  const kind = event.kind;
  if (kind.startsWith('task_')) return ['board', 'task', 'implementers', 'work', 'forecast', 'overview'];
  if (kind.startsWith('lock_')) return ['locks'];
  if (kind === 'note_added') return ['notes'];
  if (kind.startsWith('discussion_')) return ['discussions', 'discussion'];
  if (kind.startsWith('agent_')) return ['implementers'];
  if (kind.startsWith('project_')) return ['overview', 'board'];
  if (kind.includes('comment')) return ['task', 'work'];
  if (kind === 'target_moved') return ['implementers', 'work', 'forecast'];
  return ['overview'];
}

let pending = new Set();
let flushScheduled = false;

function applyEvents(events, seq) {
  setState((s) => ({ seq, timeline: [...events.slice().reverse(), ...s.timeline].slice(0, TIMELINE_KEPT) }));
  for (const event of events) for (const key of affected(event)) pending.add(key);
  // A burst of events (a landing writes several) costs one reload per view, not one per event.
  if (!flushScheduled) {
    flushScheduled = true;
    queueMicrotask(() => {
      flushScheduled = false;
      const keys = pending;
      pending = new Set();
      for (const key of keys) loaders[key]();
    });
  }
}

export async function openProject(project) {
  live?.close();
  // A reload (or a bookmark) comes back to the same project.
  history.replaceState(null, '', `?${new URLSearchParams({ project })}`);
  api = projectApi(project);
  setState({ ...initial, projects: state.projects, project });
  const { events, seq } = await api.events(undefined, 50).catch(() => ({ events: [], seq: 0 }));
  setState({ timeline: events.slice().reverse(), seq });
  await Promise.all(['overview', 'board', 'implementers', 'locks', 'notes', 'discussions', 'forecast'].map((key) => loaders[key]()));
  live = connectLive({ project, seq, onEvents: applyEvents, onState: (value) => setState({ live: value }) });
}

export async function start() {
  try {
    const { projects, selected } = await listProjects();
    setState({ projects });
    // The printed URL names the project of the directory the dashboard was started in.
    const fromAddress = new URLSearchParams(location.search).get('project');
    const choice = projects.find((p) => p.id === fromAddress)?.id ?? selected ?? projects[0]?.id;
    if (choice) await openProject(choice);
  } catch (error) {
    setState({ error: `${error.code ?? 'ERROR'}: ${error.message}` });
  }
}
