/**
 * Groups audited hosts into swarm clusters for planning. Managers know their
 * cluster ID; a worker belongs to the cluster whose manager lists its node ID.
 */
import type { AuditedHost } from '../checks/types.js';
import type { FleetInstance } from '../fleet/instance.js';
import type { HostFacts, NodeFacts } from '../probe/facts.js';

export interface ClusterView {
  clusterId: string;
  /** The manager whose facts describe the cluster: the leader when audited, else the first by instanceId. */
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

function isActiveManager(h: AuditedHost): boolean {
  const s = h.facts.swarm;
  return Boolean(s && s.localNodeState === 'active' && s.controlAvailable && s.clusterId);
}

export function clusterViews(hosts: readonly AuditedHost[]): ClusterView[] {
  const byId = (a: AuditedHost, b: AuditedHost) => a.instance.instanceId.localeCompare(b.instance.instanceId);
  const managersByCluster = new Map<string, AuditedHost[]>();
  for (const h of [...hosts].sort(byId)) {
    if (!isActiveManager(h)) continue;
    const id = h.facts.swarm!.clusterId!;
    managersByCluster.set(id, [...(managersByCluster.get(id) ?? []), h]);
  }
  const views: ClusterView[] = [];
  for (const [clusterId, managers] of [...managersByCluster].sort(([a], [b]) => a.localeCompare(b))) {
    const leaderId = managers.flatMap((m) => m.facts.nodes ?? []).find((n) => n.leader)?.id;
    const manager = managers.find((m) => m.facts.swarm!.nodeId === leaderId) ?? managers[0]!;
    const nodeIds = new Set((manager.facts.nodes ?? []).map((n) => n.id));
    const members = [...hosts]
      .filter((h) => h.facts.swarm?.localNodeState === 'active' && nodeIds.has(h.facts.swarm.nodeId))
      .sort(byId);
    views.push({ clusterId, manager, managers, members });
  }
  return views;
}

export function nodeOf(view: ClusterView, host: AuditedHost): NodeFacts | undefined {
  return view.manager.facts.nodes?.find((n) => n.id === host.facts.swarm?.nodeId);
}

export function hostOfNode(view: ClusterView, nodeId: string): AuditedHost | undefined {
  return view.members.find((h) => h.facts.swarm?.nodeId === nodeId);
}
