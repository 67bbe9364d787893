// Planner admission. Roles are declared by the agents themselves, so being a planner needs proof: the
// project's first planner is admitted by being first; every later one, and anyone taking over a planner
// name from another session (dead or not), needs an admission that an admitted planner (planner_admit)
// or a human (`lockstep-mcp planner admit`) granted. Admissions survive session_reset.

import type { WriteTx, TxStep } from '../store/store.js';
import { requirePlanner, type Caller, type ClientSession, type DomainContext, type Project } from './context.js';
import { DomainError } from '../core/errors.js';
import { assertImplementerName } from './git-errors.js';

/** Who admitted a planner when it was a person at the command line rather than an agent. */
const HUMAN_ADMITTER = 'human (CLI)';

export interface Admission {
  admitted: string;
  admittedBy: string;
}

export class AdmissionService {
  constructor(private readonly context: DomainContext) {}

  /** An admitted planner lets one more session join as planner `name`. */
  async admit(caller: Caller, name: string): Promise<Admission> {
    const planner = requirePlanner(caller, 'admit planners');
    return this.grant(caller.project, name, planner);
  }

  /** A human at the command line: the one proof an agent limited to the tools cannot forge. */
  async admitByHuman(project: Project, name: string): Promise<Admission> {
    return this.grant(project, name, HUMAN_ADMITTER);
  }

  private async grant(project: Project, name: string, admittedBy: string): Promise<Admission> {
    assertImplementerName(name);
    const now = this.context.clock.now();
    return this.context.store.write(project.id, function* (tx) {
      // One admission per name: granting again (e.g. for a planner whose process died) re-arms it.
      yield* tx.remove('admissions', { name });
      yield* tx.insert('admissions', { name, admittedBy, admittedAt: now, usedBy: null, usedAt: null });
      return { admitted: name, admittedBy };
    });
  }
}

/**
 * Inside coordination_init's transaction: lets `session` register as planner `name`, using up an
 * admission if it needs one, or refuses with ADMISSION_REQUIRED.
 */
export function* admitPlannerSession(tx: WriteTx, now: number, name: string, { id: session, credential }: ClientSession): TxStep<void> {
  // A session admitted once stays admitted in this project (it may resume after session_reset).
  if ((yield* tx.one('admissions', { usedBy: session }))) return;
  // A planner token was created by a human at the command line: the same proof as an admission.
  if (credential?.role === 'planner' && credential.name === name) {
    yield* tx.remove('admissions', { name });
    yield* tx.insert('admissions', { name, admittedBy: `token ${name}`, admittedAt: now, usedBy: session, usedAt: now });
    return;
  }
  if ((yield* tx.one('admissions', { name, usedBy: null }))) {
    yield* tx.update('admissions', { name }, { usedBy: session, usedAt: now });
    return;
  }
  if ((yield* tx.count('admissions')) === 0 && (yield* tx.count('agents', { role: 'planner' })) === 0) {
    yield* tx.insert('admissions', { name, admittedBy: null, admittedAt: now, usedBy: session, usedAt: now });
    return;
  }
  throw new DomainError(
    'ADMISSION_REQUIRED',
    `this project already has a planner; "${name}" may join as (or take over the name of) a planner only with an admission`,
    `Pick another name, or ask the planner to call planner_admit with name "${name}" (or a human to run: lockstep-mcp planner admit ${name}), then call coordination_init again.`,
    { name },
  );
}
