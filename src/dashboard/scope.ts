// What every dashboard route starts from: the App, the human acting, and which of the store's projects
// a request is about (the `project` query parameter, else the project the dashboard was started in).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import { DomainError } from '../core/errors.js';
import type { App } from '../domain/app.js';
import type { Caller, Project } from '../domain/context.js';
import { sendError, sendJson } from './responses.js';

export interface DashboardScope {
  app: App;
  config: Config;
  /** The human's name: every action from the page is recorded under it. */
  human: string;
  /** The project of the directory the dashboard started in, if it is a repository. */
  selected?: Project;
}

export interface RouteRequest extends IncomingMessage {
  params: Record<string, string>;
}

export type RouteHandler = (req: RouteRequest, caller: Caller) => Promise<unknown>;

/** polka does not await handlers: this one does, and turns every failure into a coded JSON error. */
export function route(scope: DashboardScope, handler: RouteHandler) {
  return (req: RouteRequest, res: ServerResponse): void => {
    projectOf(scope, req)
      .then((project) => handler(req, { project, agent: { name: scope.human, role: 'planner' } }))
      .then((value) => sendJson(req, res, value))
      .catch((error: unknown) => sendError(req, res, error));
  };
}

/** The human reviews with a planner's authority: the same domain checks an agent planner passes. */
async function projectOf(scope: DashboardScope, req: IncomingMessage): Promise<Project> {
  const wanted = new URL(req.url ?? '/', 'http://dashboard').searchParams.get('project');
  if (wanted === null || wanted === scope.selected?.id) {
    if (scope.selected) return scope.selected;
    throw new DomainError('INVALID_INPUT', 'no project given and the dashboard was not started in one', 'Pass ?project= with an id from /api/projects.');
  }
  const known = await scope.app.context.store.projects();
  if (!known.includes(wanted)) {
    throw new DomainError('NOT_FOUND', `the store has no project ${wanted.slice(0, 200)}`, 'Pick a project from /api/projects.');
  }
  return { id: wanted, root: wanted };
}

/** A numeric path parameter, refused with INVALID_INPUT rather than passed on as NaN. */
export function idParam(req: RouteRequest, name: string): number {
  const value = req.params[name] ?? '';
  if (!/^[1-9]\d{0,15}$/.test(value)) throw new DomainError('INVALID_INPUT', `${name} must be a positive integer, not "${value.slice(0, 40)}"`, 'Use an id the API listed.');
  return Number(value);
}
