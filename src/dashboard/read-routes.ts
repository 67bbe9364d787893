// What the page reads: one GET route per view, each a domain call (or a few, joined) whose answer is
// sent as it is. Lists are paged and filtered by the domain, in the store.

import * as z from 'zod';
import { TASK_STATUSES } from '../core/vocabulary.js';
import type { Caller } from '../domain/context.js';
import type { BranchSummary } from '../domain/worktrees.js';
import { idParam, route, type DashboardScope, type RouteRequest } from './scope.js';
import { queryOf } from './request.js';

type Router = { get(path: string, handler: ReturnType<typeof route>): unknown };

const count = (max: number) => z.coerce.number().int().min(0).max(max);
const flag = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true');
const withProject = <S extends z.ZodRawShape>(shape: S) => z.object({ project: z.string().optional(), ...shape }).strict();

const taskQuery = withProject({
  status: z.enum(TASK_STATUSES).optional(),
  q: z.string().max(200).optional(),
  owner: z.string().max(100).optional(),
  tag: z.string().max(64).optional(),
  limit: count(200).optional(),
  offset: count(1_000_000).optional(),
  includeDone: flag.optional(),
});
const eventQuery = withProject({ after: count(Number.MAX_SAFE_INTEGER).optional(), limit: count(500).optional() });
const diffQuery = withProject({ offset: count(1_000_000_000).optional(), uncommitted: flag.optional(), path: z.string().max(1_000).optional() });
const plain = withProject({});

export function readRoutes(router: Router, scope: DashboardScope): void {
  const { app } = scope;
  const get = (path: string, handler: (req: RouteRequest, caller: Caller) => Promise<unknown>) => router.get(path, route(scope, handler));

  get('/api/projects', async (req, caller) => {
    queryOf(req, plain);
    const projects = await app.activity.projects();
    return { projects: projects.map((project) => ({ ...project, root: project.id })), selected: caller.project.id };
  });
  get('/api/overview', async (req, caller) => {
    queryOf(req, plain);
    const [context, summary, latest] = await Promise.all([app.project.getContext(caller), app.tasks.summary(caller), app.activity.recent(caller, 0)]);
    return { project: caller.project, context, summary, seq: latest.seq };
  });
  get('/api/tasks', async (req, caller) => {
    const { status, q, owner, tag, limit, offset, includeDone } = queryOf(req, taskQuery);
    const [page, summary] = await Promise.all([
      app.tasks.list(caller, { status, text: q || undefined, owner: owner || undefined, tag: tag || undefined, limit, offset, includeDone: includeDone ?? true }),
      app.tasks.summary(caller),
    ]);
    // task_list tells its total only on the last page; the whole board's total is the summary's.
    const unfiltered = !status && !q && !owner && !tag && includeDone !== false;
    return { ...page, ...(page.total === undefined && unfiltered && { total: summary.total }), counts: summary.counts };
  });
  get('/api/tasks/:id', async (req, caller) => {
    queryOf(req, plain);
    const id = idParam(req, 'id');
    const task = await app.tasks.get(caller, id);
    const [events, comments] = await Promise.all([app.activity.ofTask(caller, id), app.comments.list(caller, id)]);
    return { task, events, comments: comments.threads };
  });
  get('/api/events', async (req, caller) => {
    const { after, limit } = queryOf(req, eventQuery);
    return after === undefined ? app.activity.recent(caller, limit ?? 50) : app.activity.after(caller, after, limit);
  });
  get('/api/implementers', async (req, caller) => {
    queryOf(req, plain);
    const [statuses, worktrees, branches] = await Promise.all([
      app.implementers.list(caller),
      app.worktrees.list(caller).catch(() => []),
      app.worktrees.branches(caller).catch(() => new Map<string, BranchSummary>()),
    ]);
    const byName = new Map(worktrees.map((worktree) => [worktree.implementer, worktree]));
    return {
      implementers: statuses.map((status) => {
        const worktree = byName.get(status.name);
        const branch = branches.get(status.name);
        return {
          ...status,
          ...(worktree && { worktree: { path: worktree.path, branch: worktree.branch, head: worktree.head, ...(worktree.missing && { missing: true }) } }),
          ...(branch && { lastCommit: { subject: branch.subject, ahead: branch.ahead, behind: branch.behind } }),
        };
      }),
    };
  });
  get('/api/implementers/:name/work', async (req, caller) => {
    queryOf(req, plain);
    const name = req.params.name ?? '';
    const status = await app.worktrees.status(caller, name);
    const owned = await app.tasks.list(caller, { owner: name, limit: 20 });
    const current = owned.tasks.find((task) => ['in_progress', 'review', 'changes_requested'].includes(task.status));
    if (!current) return { status };
    const [task, comments] = await Promise.all([app.tasks.get(caller, current.id), app.comments.list(caller, current.id)]);
    return { status, task, comments: comments.threads };
  });
  get('/api/implementers/:name/diff', async (req, caller) => {
    const { offset, uncommitted, path } = queryOf(req, diffQuery);
    return app.worktrees.diff(caller, { name: req.params.name ?? '', offset, includeUncommitted: uncommitted, path });
  });
  get('/api/implementers/:name/archives', async (req, caller) => {
    queryOf(req, plain);
    return app.worktrees.recover(caller, { name: req.params.name ?? '' });
  });
  get('/api/forecast', async (req, caller) => {
    queryOf(req, plain);
    const worktrees = (await app.worktrees.list(caller)).filter((worktree) => !worktree.missing);
    const rows = await Promise.all(worktrees.map((worktree) => app.worktrees.status(caller, worktree.implementer)));
    const target = rows[0]?.target ?? (await app.worktrees.settings(caller)).target;
    return {
      target,
      rows: rows.map((row) => ({
        implementer: row.implementer,
        ahead: row.ahead,
        behind: row.behind,
        target: row.mergeable,
        others: row.conflictsWith ?? [],
        ...(row.touchesProjectConfig && { touchesProjectConfig: row.touchesProjectConfig }),
      })),
    };
  });
  get('/api/locks', async (req, caller) => {
    queryOf(req, plain);
    return { locks: await app.locks.list({ project: caller.project }, { status: 'active', limit: 200, withAge: true }) };
  });
  get('/api/notes', async (req, caller) => {
    queryOf(req, plain);
    // Without an identity the domain shows notes to everyone, and no agent's read cursor moves.
    return app.notes.list({ project: caller.project }, { limit: 100 });
  });
  get('/api/discussions', async (req, caller) => {
    queryOf(req, plain);
    return app.discussions.list(caller, { limit: 100 });
  });
  get('/api/discussions/:id', async (req, caller) => {
    queryOf(req, plain);
    return { discussion: await app.discussions.get(caller, idParam(req, 'id')) };
  });
  get('/api/config', async (req, caller) => {
    queryOf(req, plain);
    return { settings: await app.configReview.states(caller) };
  });
}
