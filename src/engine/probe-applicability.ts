/**
 * Whether decoded facts can be audited at all. Minimal engine-side
 * equivalent of src/probe/applicability.ts (probeFailureOf), kept here so the
 * engine does not depend on the probe's module layout.
 */
import type { HostFacts } from '../probe/facts.js';

export interface ProbeFailure {
  status: 'ERROR' | 'NOT_APPLICABLE';
  message: string;
}

export function unauditableReason(facts: HostFacts): ProbeFailure | undefined {
  const { docker, swarm } = facts;
  if (!docker.present) return error(`docker is not installed${detail(docker.error?.message)}`);
  if (!docker.reachable) {
    const cause =
      docker.error?.kind === 'permission-denied'
        ? 'permission denied on the docker socket'
        : docker.error?.kind === 'daemon-down'
          ? 'the docker daemon is not running'
          : 'the docker daemon could not be reached';
    return error(`${cause}${detail(docker.error?.message)}`);
  }
  if (!swarm) return error('swarm state could not be read');
  switch (swarm.localNodeState) {
    case 'active':
      return undefined;
    case 'inactive':
      return { status: 'NOT_APPLICABLE', message: 'swarm inactive on this node' };
    case 'locked':
      return error('swarm is locked (autolock): unlock it with docker swarm unlock before auditing');
    case 'pending':
      return error('swarm node is pending (joining): state cannot be judged yet');
    default:
      return error(`swarm is in error state${detail(swarm.error)}`);
  }
}

function error(message: string): ProbeFailure {
  return { status: 'ERROR', message };
}

function detail(message: string | undefined): string {
  return message ? `: ${message}` : '';
}
