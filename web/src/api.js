// The dashboard's JSON API as the page uses it: every route the page calls is named here once. The
// session cookie (from the token exchange) rides along on same-origin requests by itself.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request(method, path, params, body) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const url = query.size > 0 ? `${path}?${query}` : path;
  const init = { method, headers: { accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = payload.error ?? {};
    throw new ApiError(response.status, error.code ?? `HTTP_${response.status}`, error.message ?? response.statusText);
  }
  return payload;
}

const get = (path, params) => request('GET', path, params);
const post = (path, body, params) => request('POST', path, params, body ?? {});

/** Routes under one project: the project id is a path, so it travels as a query parameter. */
export function projectApi(project) {
  const p = (extra) => ({ project, ...extra });
  const id = encodeURIComponent;
  return {
    overview: () => get('/api/overview', p()),
    tasks: (filter) => get('/api/tasks', p(filter)),
    task: (taskId) => get(`/api/tasks/${id(taskId)}`, p()),
    implementers: () => get('/api/implementers', p()),
    work: (name) => get(`/api/implementers/${id(name)}/work`, p()),
    diff: (name, offset) => get(`/api/implementers/${id(name)}/diff`, p({ offset, uncommitted: 1 })),
    forecast: () => get('/api/forecast', p()),
    locks: () => get('/api/locks', p()),
    notes: () => get('/api/notes', p()),
    discussions: () => get('/api/discussions', p()),
    discussion: (discussionId) => get(`/api/discussions/${id(discussionId)}`, p()),
    events: (after, limit) => get('/api/events', p({ after, limit })),
    archives: (name) => get(`/api/implementers/${id(name)}/archives`, p()),
    config: () => get('/api/config', p()),

    approve: (taskId) => post(`/api/tasks/${id(taskId)}/approve`, {}, p()),
    requestChanges: (taskId, feedback) => post(`/api/tasks/${id(taskId)}/request-changes`, { feedback }, p()),
    comment: (taskId, comment) => post(`/api/tasks/${id(taskId)}/comments`, comment, p()),
    replyToComment: (commentId, body) => post(`/api/comments/${id(commentId)}/reply`, { body }, p()),
    resolveComment: (commentId, resolved) => post(`/api/comments/${id(commentId)}/resolve`, { resolved }, p()),
    setStatus: (status) => post('/api/project/status', { status }, p()),
    stopImplementer: (name) => post(`/api/implementers/${id(name)}/stop`, {}, p()),
    cleanupWorktree: (name) => post(`/api/implementers/${id(name)}/cleanup`, {}, p()),
    recoverArchive: (name, archive) => post(`/api/implementers/${id(name)}/recover`, { archive }, p()),
    releaseLock: (lockId) => post(`/api/locks/${id(lockId)}/release`, {}, p()),
    approveConfig: (settings) => post('/api/config/approve', { settings }, p()),
    admitPlanner: (name) => post('/api/planner/admit', { name }, p()),
  };
}

export const listProjects = () => get('/api/projects');
