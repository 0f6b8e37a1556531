import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../../../../src/errors.js';
import type { NodeDocker } from './docker-client.js';
import { SANDBOX_IMAGE } from './image.js';
import type { ResolvedCluster, ResolvedNetwork, ResolvedService } from './spec-types.js';

export interface FormedCluster {
  name: string;
  managerNode: string;
  clusterId: string;
  leader: NodeDocker;
}

/**
 * init on the first manager, join the other managers one by one (raft
 * membership changes are serial), then the workers in parallel. A node with
 * bindListenAddr gets --listen-addr IP:2377; the others keep the wildcard
 * default, which is what the listen-address check must catch.
 */
export async function formCluster(cluster: ResolvedCluster, members: NodeDocker[]): Promise<FormedCluster> {
  const managers = members.filter((m) => m.node.node.role === 'manager');
  const workers = members.filter((m) => m.node.node.role === 'worker');
  const leader = managers[0];
  await leader.ok(['swarm', 'init', ...addressFlags(leader)]);
  const leaderAddress = `${leader.node.address}:2377`;
  const [workerToken, managerToken] = await Promise.all(
    ['worker', 'manager'].map(async (role) => (await leader.ok(['swarm', 'join-token', '-q', role])).trim()),
  );
  for (const manager of managers.slice(1)) {
    await manager.ok(['swarm', 'join', '--token', managerToken, ...addressFlags(manager), leaderAddress]);
  }
  await Promise.all(workers.map((w) => w.ok(['swarm', 'join', '--token', workerToken, ...addressFlags(w), leaderAddress])));
  const clusterId = (await leader.ok(['info', '--format', '{{.Swarm.Cluster.ID}}'])).trim();
  if (!/^[a-z0-9]{25}$/.test(clusterId)) {
    throw new ToolError('SandboxSwarmFailed', `cluster ${cluster.name}: unexpected cluster id ${JSON.stringify(clusterId)}`);
  }
  return { name: cluster.name, managerNode: leader.node.node.name, clusterId, leader };
}

function addressFlags(member: NodeDocker): string[] {
  const address = member.node.address;
  return member.node.node.bindListenAddr ? ['--listen-addr', `${address}:2377`, '--advertise-addr', address] : ['--advertise-addr', address];
}

/** Waits until the manager sees every member Ready (service placement is deterministic only then). */
export async function waitForNodesReady(leader: NodeDocker, expectedHostnames: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    last = await leader.ok(['node', 'ls', '--format', '{{.Hostname}} {{.Status}}']);
    const ready = new Set(
      last
        .split('\n')
        .map((l) => l.split(' '))
        .filter(([, status]) => status === 'Ready')
        .map(([host]) => host),
    );
    if (expectedHostnames.every((h) => ready.has(h))) return;
    if (Date.now() >= deadline) {
      throw new ToolError('SandboxSwarmFailed', `nodes not Ready after ${timeoutMs} ms (want ${expectedHostnames.join(', ')}):\n${last}`);
    }
    await sleep(200);
  }
}

export function networkCreateArgs(network: ResolvedNetwork): string[] {
  return [
    'network', 'create', '--driver', network.driver,
    // "--opt encrypted" (no value) is what operators type; it yields Options {"encrypted": ""}.
    ...Object.entries(network.options).flatMap(([k, v]) => ['--opt', v === '' ? k : `${k}=${v}`]),
    ...Object.entries(network.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    ...(network.attachable ? ['--attachable'] : []),
    ...(network.internal ? ['--internal'] : []),
    ...(network.subnet !== undefined ? ['--subnet', network.subnet] : []),
    network.name,
  ];
}

/**
 * --no-resolve-image: no registry is reachable. --stop-grace-period 1s: the
 * image's sleep ignores SIGTERM as PID 1, and updates (remediation) should not wait 10 s per task.
 */
export function serviceCreateArgs(service: ResolvedService): string[] {
  return [
    'service', 'create', '--detach', '--no-resolve-image', '--stop-grace-period', '1s',
    '--name', service.name,
    ...(service.mode === 'global' ? ['--mode', 'global'] : ['--replicas', String(service.replicas)]),
    ...service.ports.flatMap((p) => ['--publish', `published=${p.published},target=${p.target},protocol=${p.protocol},mode=${p.mode}`]),
    ...service.networks.flatMap((n) => ['--network', [`name=${n.name}`, ...n.aliases.map((a) => `alias=${a}`)].join(',')]),
    ...Object.entries(service.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    SANDBOX_IMAGE,
  ];
}

export async function createNetworks(leader: NodeDocker, cluster: ResolvedCluster): Promise<void> {
  for (const network of cluster.networks) await leader.ok(networkCreateArgs(network));
}

export async function createServices(leader: NodeDocker, cluster: ResolvedCluster): Promise<void> {
  for (const service of cluster.services) await leader.ok(serviceCreateArgs(service));
}

/** "2/2", "3/3 (max 1 per node)" -> running and desired counts. */
export function parseReplicas(text: string): { running: number; desired: number } | undefined {
  const m = /^(\d+)\/(\d+)/.exec(text.trim());
  return m ? { running: Number(m[1]), desired: Number(m[2]) } : undefined;
}

/** Services converged = every service of the cluster runs its desired task count. */
export async function waitForServices(leader: NodeDocker, cluster: ResolvedCluster, timeoutMs: number): Promise<void> {
  if (cluster.services.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const replicas = await serviceReplicas(leader);
    const pending = cluster.services.filter((s) => {
      const r = replicas.get(s.name);
      return !r || r.running !== r.desired || (s.mode === 'replicated' && r.desired !== s.replicas);
    });
    if (pending.length === 0) return;
    if (Date.now() >= deadline) {
      const detail = await leader.run(['service', 'ps', '--no-trunc', '--format', '{{.Name}} {{.CurrentState}} {{.Error}}', ...pending.map((s) => s.name)]);
      throw new ToolError(
        'SandboxServicesNotConverged',
        `cluster ${cluster.name}: services ${pending.map((s) => s.name).join(', ')} did not converge within ${timeoutMs} ms:\n${detail.stdout}${detail.stderr}`,
      );
    }
    await sleep(250);
  }
}

export interface ReplicaCount {
  running: number;
  desired: number;
}

export async function serviceReplicas(leader: NodeDocker): Promise<Map<string, ReplicaCount>> {
  const out = await leader.ok(['service', 'ls', '--format', '{{.Name}}\t{{.Replicas}}']);
  const result = new Map<string, ReplicaCount>();
  for (const line of out.split('\n')) {
    const [name, text] = line.split('\t');
    const parsed = text !== undefined ? parseReplicas(text) : undefined;
    if (name && parsed) result.set(name, parsed);
  }
  return result;
}
