// What a human does from the page: each POST is one domain call made as the human (with a planner's
// authority), so it passes the same checks as an agent's tool call and leaves the same events.

import * as z from 'zod';
import { PROJECT_STATUSES } from '../core/vocabulary.js';
import { DomainError } from '../core/errors.js';
import type { Caller } from '../domain/context.js';
import { jsonBody } from './request.js';
import { idParam, route, type DashboardScope, type RouteRequest } from './scope.js';

type Router = { post(path: string, handler: ReturnType<typeof route>): unknown };

const text = (max: number) => z.string().min(1).max(max);
const empty = z.object({}).strict();
const comment = z
  .object({
    file: text(1_000),
    side: z.enum(['old', 'new']),
    line: z.number().int().positive(),
    quote: z.string().max(2_000),
    body: text(10_000),
    commit: z.string().regex(/^[0-9a-f]{7,64}$/).optional(),
  })
  .strict();

export function actionRoutes(router: Router, scope: DashboardScope): void {
  const { app } = scope;
  const post = (path: string, handler: (req: RouteRequest, caller: Caller) => Promise<unknown>) => router.post(path, route(scope, handler));

  post('/api/tasks/:id/approve', async (req, caller) => {
    const { feedback } = await jsonBody(req, z.object({ feedback: text(10_000).optional() }).strict());
    return app.review.approve(caller, idParam(req, 'id'), feedback);
  });
  post('/api/tasks/:id/request-changes', async (req, caller) => {
    const { feedback } = await jsonBody(req, z.object({ feedback: text(10_000) }).strict());
    return app.review.requestChanges(caller, idParam(req, 'id'), feedback);
  });
  post('/api/tasks/:id/comments', async (req, caller) => {
    const input = await jsonBody(req, comment);
    return app.comments.add(caller, { task: idParam(req, 'id'), ...input });
  });
  post('/api/comments/:id/reply', async (req, caller) => {
    const { body } = await jsonBody(req, z.object({ body: text(10_000) }).strict());
    return app.comments.reply(caller, idParam(req, 'id'), body);
  });
  post('/api/comments/:id/resolve', async (req, caller) => {
    const { resolved } = await jsonBody(req, z.object({ resolved: z.boolean().optional() }).strict());
    return app.comments.resolve(caller, idParam(req, 'id'), resolved ?? true);
  });
  post('/api/project/status', async (req, caller) => {
    const { status } = await jsonBody(req, z.object({ status: z.enum(PROJECT_STATUSES) }).strict());
    return app.project.setStatus(caller, status);
  });
  post('/api/implementers/:name/stop', async (req, caller) => {
    await jsonBody(req, empty);
    return app.agents.markStopped(caller, req.params.name ?? '');
  });
  post('/api/implementers/:name/cleanup', async (req, caller) => {
    await jsonBody(req, empty);
    // git cleans every worktree whose work is safe; the report says which were removed and why others stay.
    return app.worktrees.cleanup(caller);
  });
  post('/api/implementers/:name/recover', async (req, caller) => {
    const { archive } = await jsonBody(req, z.object({ archive: text(300) }).strict());
    return app.worktrees.recover(caller, { name: req.params.name ?? '', archive });
  });
  post('/api/locks/:id/release', async (req, caller) => {
    await jsonBody(req, empty);
    const token = idParam(req, 'id');
    const lock = (await app.locks.list(caller, { status: 'active', limit: 1_000 })).find((held) => held.token === token);
    if (!lock) throw new DomainError('NOT_FOUND', `no active lock with token ${token}`, 'Reload the locks; it may have been released already.');
    return app.locks.release(caller, { path: lock.path, force: true });
  });
  post('/api/planner/admit', async (req, caller) => {
    const { name } = await jsonBody(req, z.object({ name: text(64) }).strict());
    // The dashboard's token is the human's proof, as the shell account is for `lockstep-mcp planner admit`.
    return app.admissions.admitByHuman(caller.project, name);
  });
  post('/api/config/approve', async (req, caller) => {
    const shown = z.array(z.object({ setting: text(64), value: z.json() }).strict()).max(20).optional();
    const { settings } = await jsonBody(req, z.object({ settings: shown }).strict());
    return app.configReview.approve(caller, settings);
  });
}
