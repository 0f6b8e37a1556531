import { problemsOfFact } from '../probe/fact-sections.js';
import type { AuditedHost } from '../checks/types.js';

/**
 * The manager whose facts describe its cluster for cluster-scoped checks:
 * the leader first, then the others by instanceId; among those, the first
 * whose facts are `usable` (by default: its cluster-wide sections, services,
 * networks and nodes, were all collected); the leader when none is.
 */
export function chooseClusterManager(
  managers: AuditedHost[],
  usable: (manager: AuditedHost) => boolean = (m) => (['services', 'networks', 'nodes'] as const).every((fact) => problemsOfFact(m.facts, fact).length === 0),
): AuditedHost {
  if (managers.length === 0) throw new RangeError('chooseClusterManager needs at least one manager');
  const ordered = [...managers].sort((a, b) => Number(isLeader(b)) - Number(isLeader(a)));
  return ordered.find(usable) ?? ordered[0];
}

function isLeader(host: AuditedHost): boolean {
  const nodeId = host.facts.swarm?.nodeId;
  return Boolean(nodeId && host.facts.nodes?.some((node) => node.id === nodeId && node.leader));
}
