/**
 * Whether a host's facts let a check decide at all. Checks call this first:
 * a host that could not be audited yields ERROR (with the cause), never PASS;
 * a node outside any swarm is NOT_APPLICABLE.
 */
import type { HostFacts } from './facts.js';

export interface ProbeFailure {
  status: 'ERROR' | 'NOT_APPLICABLE';
  message: string;
}

export function probeFailureOf(facts: HostFacts): ProbeFailure | undefined {
  const { docker, swarm } = facts;
  if (!docker.present) {
    return { status: 'ERROR', message: docker.error?.message ?? 'docker is not installed on this host' };
  }
  if (!docker.reachable) {
    return { status: 'ERROR', message: `docker daemon not reachable: ${docker.error?.message ?? 'unknown cause'}` };
  }
  if (!swarm) {
    return { status: 'ERROR', message: `swarm state unknown: ${docker.error?.message ?? 'docker info was not collected'}` };
  }
  switch (swarm.localNodeState) {
    case 'inactive':
      return { status: 'NOT_APPLICABLE', message: 'swarm inactive on this node' };
    case 'locked':
      return { status: 'ERROR', message: 'swarm is locked on this node (autolock): unlock it with `docker swarm unlock`' };
    case 'pending':
      return { status: 'ERROR', message: 'swarm join pending on this node: state not settled' };
    case 'error':
      return { status: 'ERROR', message: `swarm in error state${swarm.error ? `: ${swarm.error}` : ''}` };
    case 'active':
      return undefined;
  }
}
