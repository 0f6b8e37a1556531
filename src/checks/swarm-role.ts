import type { HostFacts } from '../probe/facts.js';

export type SwarmRole = 'manager' | 'worker' | 'none';

/** A node is a manager when the engine says control is available (managers only). */
export function swarmRoleOf(facts: HostFacts): SwarmRole {
  const swarm = facts.swarm;
  if (!swarm || swarm.localNodeState !== 'active') return 'none';
  return swarm.controlAvailable ? 'manager' : 'worker';
}
