// Whether an implementer will come back to its worktree: decided from the store's agents rows and,
// on this host, from whether the registered process still runs.

import type { ReadTx } from '../store/store.js';
import type { DomainContext } from './context.js';

/**
 * The names among `names` whose agent is gone: never registered here, marked gone, or registered from
 * this host by a process that no longer runs (another host's pid cannot be checked, so it counts as alive).
 */
export function goneAmong(tx: ReadTx, context: Pick<DomainContext, 'host' | 'isPidAlive'>, names: readonly string[]): Set<string> {
  if (names.length === 0) return new Set();
  const agents = new Map(tx.find('agents', { where: { id: { in: [...names] } } }).map((agent) => [agent.id, agent]));
  return new Set(
    names.filter((name) => {
      const agent = agents.get(name);
      return !agent || agent.status === 'gone' || (agent.host === context.host && !context.isPidAlive(agent.pid));
    }),
  );
}
