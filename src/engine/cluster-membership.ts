/**
 * Groups audited hosts into swarm clusters. Managers report their cluster ID;
 * workers do not, so a worker joins the cluster whose manager lists its node
 * ID, else the cluster whose managers match its RemoteManagers. Workers that
 * match nothing are orphans: their node checks still run, their cluster cannot
 * be evaluated.
 */
import type { AuditedHost } from '../checks/types.js';
import type { FleetInstance } from '../fleet/instance.js';
import type { HostFacts } from '../probe/facts.js';

export interface ClusterGroup {
  clusterId: string;
  /** Audited managers, sorted by instanceId. */
  managers: AuditedHost[];
  /** Managers and linked workers, sorted by instanceId. */
  members: AuditedHost[];
}

/** Workers whose cluster no audited manager describes, grouped by the managers they know. */
export interface OrphanGroup {
  /** Human label: the remote manager addresses the workers know, or "unknown managers". */
  label: string;
  workers: AuditedHost[];
}

export interface FleetClusters {
  clusters: ClusterGroup[];
  orphans: OrphanGroup[];
  /** instanceId -> clusterId, for every host (audited or not) whose cluster is known. */
  clusterOf: Map<string, string>;
}

interface ClusterIndex {
  byNodeId: Map<string, string>;
  byManagerNodeId: Map<string, string>;
  byManagerAddress: Map<string, string>;
}

const byInstanceId = (a: { instance: FleetInstance }, b: { instance: FleetInstance }): number =>
  compareText(a.instance.instanceId, b.instance.instanceId);

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "10.0.0.5:2377" -> "10.0.0.5"; "[fd00::1]:2377" -> "fd00::1". */
export function addressHost(address: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(address);
  if (bracketed) return bracketed[1]!;
  return address.split(':').length === 2 ? address.slice(0, address.indexOf(':')) : address;
}

function managerClusterId(facts: HostFacts): string | undefined {
  const swarm = facts.swarm;
  return swarm?.localNodeState === 'active' && swarm.controlAvailable && swarm.clusterId ? swarm.clusterId : undefined;
}

function indexManagers(managers: AuditedHost[]): ClusterIndex {
  const index: ClusterIndex = { byNodeId: new Map(), byManagerNodeId: new Map(), byManagerAddress: new Map() };
  const remember = (map: Map<string, string>, key: string | undefined, clusterId: string) => {
    if (key && !map.has(key)) map.set(key, clusterId);
  };
  for (const { facts } of managers) {
    const clusterId = managerClusterId(facts)!;
    const swarm = facts.swarm!;
    remember(index.byManagerNodeId, swarm.nodeId, clusterId);
    remember(index.byManagerAddress, swarm.nodeAddr && addressHost(swarm.nodeAddr), clusterId);
    for (const remote of swarm.remoteManagers) {
      remember(index.byManagerNodeId, remote.nodeId, clusterId);
      remember(index.byManagerAddress, addressHost(remote.addr), clusterId);
    }
    for (const node of facts.nodes ?? []) {
      remember(index.byNodeId, node.id, clusterId);
      if (node.role !== 'manager') continue;
      remember(index.byManagerNodeId, node.id, clusterId);
      remember(index.byManagerAddress, node.managerAddr && addressHost(node.managerAddr), clusterId);
    }
  }
  return index;
}

function linkToCluster(facts: HostFacts, index: ClusterIndex): string | undefined {
  const swarm = facts.swarm;
  if (!swarm) return undefined;
  const own = managerClusterId(facts) ?? swarm.clusterId;
  if (own) return own;
  const byNode = swarm.nodeId ? index.byNodeId.get(swarm.nodeId) : undefined;
  if (byNode) return byNode;
  for (const remote of swarm.remoteManagers) {
    const match = index.byManagerNodeId.get(remote.nodeId) ?? index.byManagerAddress.get(addressHost(remote.addr));
    if (match) return match;
  }
  return undefined;
}

/**
 * @param audited hosts whose facts can be evaluated (swarm active)
 * @param others hosts that cannot be evaluated, with facts when the probe decoded (locked, inactive...)
 */
export function groupClusters(
  audited: AuditedHost[],
  others: { instance: FleetInstance; facts?: HostFacts }[],
): FleetClusters {
  const managers = audited.filter((h) => managerClusterId(h.facts) !== undefined).sort(byInstanceId);
  const index = indexManagers(managers);
  const clusterOf = new Map<string, string>();
  for (const host of audited) {
    const clusterId = linkToCluster(host.facts, index);
    if (clusterId) clusterOf.set(host.instance.instanceId, clusterId);
  }
  for (const other of others) {
    const clusterId = other.facts && linkToCluster(other.facts, index);
    if (clusterId) clusterOf.set(other.instance.instanceId, clusterId);
  }
  const clusterIds = [...new Set(managers.map((m) => managerClusterId(m.facts)!))].sort(compareText);
  const clusters = clusterIds.map((clusterId) => ({
    clusterId,
    managers: managers.filter((m) => managerClusterId(m.facts) === clusterId),
    members: audited.filter((h) => clusterOf.get(h.instance.instanceId) === clusterId).sort(byInstanceId),
  }));
  const orphans = orphanGroups(audited.filter((h) => !clusterOf.has(h.instance.instanceId)));
  return { clusters, orphans, clusterOf };
}

function orphanGroups(unlinked: AuditedHost[]): OrphanGroup[] {
  const groups = new Map<string, OrphanGroup>();
  for (const host of [...unlinked].sort(byInstanceId)) {
    const remotes = host.facts.swarm?.remoteManagers ?? [];
    const key = remotes.length
      ? remotes.map((r) => r.nodeId || r.addr).sort(compareText).join(',')
      : `instance:${host.instance.instanceId}`;
    const label = remotes.length
      ? `managers at ${remotes.map((r) => r.addr).sort(compareText).join(', ')}`
      : 'unknown managers';
    const group = groups.get(key) ?? { label, workers: [] };
    group.workers.push(host);
    groups.set(key, group);
  }
  return [...groups.values()];
}
