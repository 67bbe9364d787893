// Whether an implementer will come back to its worktree: decided from the store's agents rows and,
// on this host, from whether the registered process still runs.

import type { AgentRow } from '../store/rows.js';
import type { ReadTx, TxStep } from '../store/store.js';
import { processGone, type DomainContext } from './context.js';

type LivenessContext = Pick<DomainContext, 'host' | 'isPidAlive'>;

/**
 * The names among `names` whose agent is gone: never registered here, marked gone, or registered from
 * this host by a process that no longer runs (another host's pid cannot be checked, so it counts as alive).
 */
export function* goneAmong(tx: ReadTx, context: LivenessContext, names: readonly string[]): TxStep<Set<string>> {
  if (names.length === 0) return new Set();
  const agents = new Map((yield* tx.find('agents', { where: { id: { in: [...names] } } })).map((agent) => [agent.id, agent]));
  return new Set(names.filter((name) => agentGone(context, agents.get(name))));
}

/** goneAmong for names learnt only later (while git walks the worktrees): every agent row is read now. */
export function* goneJudge(tx: ReadTx, context: LivenessContext): TxStep<(name: string) => boolean> {
  const agents = new Map((yield* tx.find('agents')).map((agent) => [agent.id, agent]));
  return (name) => agentGone(context, agents.get(name));
}

function agentGone(context: LivenessContext, agent: AgentRow | undefined): boolean {
  return !agent || agent.status === 'gone' || processGone(context, agent.host, agent.pid);
}
