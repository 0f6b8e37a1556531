/**
 * Groups audited hosts into swarm clusters. Managers report their cluster ID;
 * workers do not, so a worker joins the cluster whose manager lists its node
 * ID, else the cluster whose managers match its RemoteManagers. Workers that
 * match nothing are orphans: their node checks still run, their cluster cannot
 * be evaluated.
 *
 * A cluster lives in one scope (account, region): hosts are grouped within
 * their scope only, so two regions running the same swarm cluster id (a
 * restored snapshot, a copied image) are two clusters, never one.
 */
import type { AuditedHost } from '../checks/types.js';
import type { FleetInstance } from '../fleet/instance.js';
import type { HostFacts } from '../probe/facts.js';

export interface ClusterGroup {
  clusterId: string;
  /** The scope of its hosts, when they carry one. */
  accountId?: string;
  region?: string;
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
  /** hostKey(instance) -> clusterId, for every host (audited or not) whose cluster is known. */
  clusterOf: Map<string, string>;
}

interface ClusterIndex {
  byNodeId: Map<string, string>;
  byManagerNodeId: Map<string, string>;
  byManagerAddress: Map<string, string>;
}

const byInstanceId = (a: { instance: FleetInstance }, b: { instance: FleetInstance }): number =>
  compareText(a.instance.instanceId, b.instance.instanceId);

type Scoped = Pick<FleetInstance, 'instanceId' | 'accountId' | 'region'>;

/** The scope of an instance as one string: hosts of different scopes never share a cluster. */
export function scopeKey(instance: Pick<FleetInstance, 'accountId' | 'region'>): string {
  return `${instance.accountId ?? ''}/${instance.region ?? ''}`;
}

/** An instance id is unique in its scope: the key the engine looks hosts up by. */
export function hostKey(instance: Scoped): string {
  return `${scopeKey(instance)}/${instance.instanceId}`;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "10.0.0.5:2377" -> "10.0.0.5"; "[fd00::1]:2377" -> "fd00::1". */
export function addressHost(address: string): string {
  const bracketed = /^\[([^\]]*)\]/.exec(address);
  if (bracketed) return bracketed[1];
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
  const fleet: FleetClusters = { clusters: [], orphans: [], clusterOf: new Map() };
  const scopes = [...new Set([...audited, ...others].map((h) => scopeKey(h.instance)))].sort(compareText);
  for (const scope of scopes) {
    const inScope = <T extends { instance: FleetInstance }>(h: T) => scopeKey(h.instance) === scope;
    const grouped = groupScopeClusters(audited.filter(inScope), others.filter(inScope));
    fleet.clusters.push(...grouped.clusters);
    fleet.orphans.push(...grouped.orphans);
    for (const [key, clusterId] of grouped.clusterOf) fleet.clusterOf.set(key, clusterId);
  }
  return fleet;
}

/** groupClusters for the hosts of one scope. */
function groupScopeClusters(
  audited: AuditedHost[],
  others: { instance: FleetInstance; facts?: HostFacts }[],
): FleetClusters {
  const managers = audited.filter((h) => managerClusterId(h.facts) !== undefined).sort(byInstanceId);
  const index = indexManagers(managers);
  const clusterOf = new Map<string, string>();
  for (const host of audited) {
    const clusterId = linkToCluster(host.facts, index);
    if (clusterId) clusterOf.set(hostKey(host.instance), clusterId);
  }
  for (const other of others) {
    const clusterId = other.facts && linkToCluster(other.facts, index);
    if (clusterId) clusterOf.set(hostKey(other.instance), clusterId);
  }
  const clusterIds = [...new Set(managers.map((m) => managerClusterId(m.facts)!))].sort(compareText);
  const clusters = clusterIds.map((clusterId) => {
    const clusterManagers = managers.filter((m) => managerClusterId(m.facts) === clusterId);
    const { accountId, region } = clusterManagers[0].instance;
    return {
      clusterId,
      ...(accountId === undefined ? {} : { accountId }),
      ...(region === undefined ? {} : { region }),
      managers: clusterManagers,
      members: audited.filter((h) => clusterOf.get(hostKey(h.instance)) === clusterId).sort(byInstanceId),
    };
  });
  const orphans = orphanGroups(audited.filter((h) => !clusterOf.has(hostKey(h.instance))));
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
