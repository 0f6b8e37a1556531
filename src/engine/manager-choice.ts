import { problemFor } from '../checks/probe-problems.js';
import type { AuditedHost } from '../checks/types.js';

/**
 * The manager whose facts describe its cluster for cluster-scoped checks:
 * the leader first, then the others by instanceId; among those, the first
 * whose cluster-wide sections (services, networks, nodes) were all collected.
 */
export function chooseClusterManager(managers: AuditedHost[]): AuditedHost {
  if (managers.length === 0) throw new RangeError('chooseClusterManager needs at least one manager');
  const ordered = [...managers].sort((a, b) => Number(isLeader(b)) - Number(isLeader(a)));
  return ordered.find((m) => !problemFor(m.facts, 'services', 'networks', 'nodes')) ?? ordered[0]!;
}

function isLeader(host: AuditedHost): boolean {
  const nodeId = host.facts.swarm?.nodeId;
  return Boolean(nodeId && host.facts.nodes?.some((node) => node.id === nodeId && node.leader));
}
