// The project's shared context (goal, stack, plan, status) that the planner writes and every agent
// reads, and session_reset: wiping one project's coordination state without touching any other.

import type { ProjectStatus } from '../core/vocabulary.js';
import type { ContextRow, TableName } from '../store/rows.js';
import type { ReadTx, WriteTx, TxStep } from '../store/store.js';
import { requirePlanner, type Caller, type DomainContext } from './context.js';
import { DomainError } from '../core/errors.js';
import { recordEvent } from './events.js';

export type ContextFields = Omit<ContextRow, 'project' | 'updatedAt'>;

/** What project_context_get shows: only the fields that hold something, and always the status. */
export type ContextView = Partial<ContextFields> & { status: ProjectStatus; updatedAt?: number };

export interface ResetOptions {
  confirm: boolean;
  keepProjectContext?: boolean;
}

/** Everything session_reset wipes, in an order where nothing refers to an already removed row. */
const RESET_TABLES = ['messages', 'discussions', 'notes', 'comments', 'locks', 'tasks', 'agents', 'events'] as const satisfies readonly TableName[];

const EMPTY_CONTEXT: ContextFields = {
  description: null,
  endState: null,
  techStack: [],
  constraints: [],
  acceptanceCriteria: [],
  tests: [],
  implementationPlan: [],
  preferredImplementer: null,
  status: 'planning',
};

export class ProjectService {
  constructor(private readonly context: DomainContext) {}

  async getContext(caller: Caller): Promise<ContextView> {
    const row = await this.context.store.read(caller.project.id, (tx) => tx.one('contexts', {}));
    return row ? contextView(row) : { status: EMPTY_CONTEXT.status };
  }

  /** Changes only the fields given; the others keep their stored value. */
  async setContext(caller: Caller, patch: Partial<ContextFields>): Promise<ContextView> {
    const planner = requirePlanner(caller, 'set the project context');
    const now = this.context.clock.now();
    const row = await this.context.store.write(caller.project.id, function* (tx) {
      const { before, after } = yield* upsertContext(tx, now, patch);
      const fields = Object.keys(patch).filter((key) => patch[key as keyof ContextFields] !== undefined);
      yield* recordEvent(tx, now, { kind: 'project_context', actor: planner, data: { fields } });
      if (after.status !== before.status) yield* recordStatusChange(tx, now, planner, before.status, after.status);
      return after;
    });
    return contextView(row);
  }

  async setStatus(caller: Caller, status: ProjectStatus): Promise<{ status: ProjectStatus; previous: ProjectStatus }> {
    const planner = requirePlanner(caller, 'change the project status');
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (tx) {
      const { before } = yield* upsertContext(tx, now, { status });
      if (before.status !== status) yield* recordStatusChange(tx, now, planner, before.status, status);
      return { status, previous: before.status };
    });
  }

  /** Removes this project's coordination state. Id counters survive, so no id is ever handed out twice. */
  async reset(caller: Caller, options: ResetOptions): Promise<{ removed: Record<string, number> }> {
    if (options.confirm !== true) {
      throw new DomainError(
        'CONFIRM_REQUIRED',
        "session_reset deletes this project's tasks, locks, notes, discussions, agents and events",
        'Make sure the human wants that, then call session_reset with confirm: true.',
      );
    }
    const planner = requirePlanner(caller, 'reset the project');
    const now = this.context.clock.now();
    return this.context.store.write(caller.project.id, function* (tx) {
      const removed: Record<string, number> = {};
      for (const table of RESET_TABLES) removed[table] = yield* tx.remove(table);
      if (!options.keepProjectContext) removed.contexts = yield* tx.remove('contexts');
      yield* recordEvent(tx, now, { kind: 'project_reset', actor: planner, data: { keepProjectContext: options.keepProjectContext === true } });
      return { removed };
    });
  }
}

/** The stored project status; a project nobody has described yet is still being planned. */
export function* storedProjectStatus(tx: ReadTx): TxStep<ProjectStatus> {
  return (yield* tx.one('contexts', {}))?.status ?? EMPTY_CONTEXT.status;
}

function* upsertContext(tx: WriteTx, now: number, patch: Partial<ContextFields>): TxStep<{ before: ContextFields; after: ContextRow }> {
  const stored = yield* tx.one('contexts', {});
  const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<ContextFields>;
  if (stored) {
    yield* tx.update('contexts', {}, { ...given, updatedAt: now });
    return { before: stored, after: { ...stored, ...given, updatedAt: now } };
  }
  const after = yield* tx.insert('contexts', { ...EMPTY_CONTEXT, ...given, updatedAt: now });
  return { before: EMPTY_CONTEXT, after };
}

function* recordStatusChange(tx: WriteTx, now: number, actor: string, previous: ProjectStatus, status: ProjectStatus): TxStep<void> {
  yield* recordEvent(tx, now, { kind: 'project_status', actor, data: { status, previous } });
}

function contextView(row: ContextRow): ContextView {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'project' || value === null || (Array.isArray(value) && value.length === 0)) continue;
    view[key] = value;
  }
  return view as ContextView;
}
