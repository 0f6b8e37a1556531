/**
 * Groups audited hosts into swarm clusters for planning, exactly as the
 * engine grouped them for the audit.
 */
import type { AuditedHost } from '../checks/types.js';
import { groupClusters } from '../engine/cluster-membership.js';
import { chooseClusterManager } from '../engine/manager-choice.js';
import type { FleetInstance } from '../fleet/instance.js';
import type { HostFacts, NodeFacts } from '../probe/facts.js';

export interface ClusterView {
  clusterId: string;
  /** The manager whose facts describe the cluster (the engine's choice: the leader when audited). */
  manager: AuditedHost;
  managers: AuditedHost[];
  members: AuditedHost[];
}

/** The engine's host input, structurally: only hosts whose probe decoded carry facts. */
export interface ProbedHost {
  instance: FleetInstance;
  probe: { ok: true; facts: HostFacts } | { ok: false };
}

export function auditedHostsOf(hosts: readonly ProbedHost[]): AuditedHost[] {
  return hosts.flatMap((h) => (h.probe.ok ? [{ instance: h.instance, facts: h.probe.facts }] : []));
}

/** The engine's grouping and manager choice, so a plan describes the same clusters as the audit it came from. */
export function clusterViews(hosts: readonly AuditedHost[]): ClusterView[] {
  const active = hosts.filter((h) => h.facts.swarm?.localNodeState === 'active');
  return groupClusters(active, []).clusters.map(({ clusterId, managers, members }) => ({
    clusterId,
    manager: chooseClusterManager(managers),
    managers,
    members,
  }));
}

export function nodeOf(view: ClusterView, host: AuditedHost): NodeFacts | undefined {
  return view.manager.facts.nodes?.find((n) => n.id === host.facts.swarm?.nodeId);
}

