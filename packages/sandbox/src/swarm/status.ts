import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NodeDocker } from './docker-client.js';
import { netnsExists } from './host-network.js';
import { readLedger, type LedgerEntry } from './ledger.js';
import { DEFAULT_SANDBOX_DIR } from './paths.js';
import { commandLineOf } from './processes.js';
import { procTable } from './proc-table.js';
import { isOurs } from './stop-processes.js';
import { serviceReplicas, type ReplicaCount } from './swarm-build.js';
import type { ClusterStatus, NodeStatus, SandboxNodeState, SandboxState, SandboxStatusReport } from './state-types.js';
import type { NodeLayout } from './layout.js';

const PROBE_TIMEOUT_MS = 5_000;

/** What is running and whether it is healthy, read from DIR and checked live. Never changes anything. */
export async function sandboxStatus(opts: { dir?: string } = {}): Promise<SandboxStatusReport> {
  const dir = resolve(opts.dir ?? DEFAULT_SANDBOX_DIR);
  const ledger = await readLedger(join(dir, 'ledger.jsonl')).catch(() => undefined);
  const state = await readState(join(dir, 'sandbox.json'));
  const empty = { dir, exists: ledger !== undefined, complete: false, healthy: false, nodes: [], clusters: [], problems: [] as string[] };
  if (!state) {
    empty.problems.push(ledger ? 'sandbox up did not finish (no sandbox.json): run sandbox down' : 'no sandbox in this dir');
    return empty;
  }
  const configDir = join(dir, 'docker-client');
  const nodes = await Promise.all(state.nodes.map(async (n) => nodeStatus({ ...n, ...(await liveDockerdPid(ledger ?? [], n)) }, configDir, state.dir)));
  const clusters = await Promise.all(state.clusters.map((c) => clusterStatus(c.name, c.managerNode, state, configDir)));
  const endpoint = state.endpoint ? await endpointStatus(state.endpoint, dir) : undefined;
  const problems = [
    ...nodes.filter((n) => !n.healthy).map((n) => `node ${n.name} is not healthy`),
    ...clusters.filter((c) => !c.healthy).map((c) => `cluster ${c.name} is not healthy`),
    ...(endpoint && !(endpoint.alive && endpoint.answering) ? ['endpoint is not answering'] : []),
  ];
  return {
    dir,
    exists: true,
    complete: true,
    healthy: problems.length === 0,
    ...(endpoint ? { endpoint } : {}),
    nodes,
    clusters,
    problems,
  };
}

async function readState(path: string): Promise<SandboxState | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SandboxState;
  } catch {
    return undefined;
  }
}

/** sandbox.json keeps the pid `up` started; a restarted dockerd (restart-dockerd.ts) is only in the ledger. */
async function liveDockerdPid(ledger: LedgerEntry[], node: SandboxNodeState): Promise<{ pid: number } | Record<string, never>> {
  const recorded = ledger.filter((e): e is Extract<LedgerEntry, { kind: 'pid' }> => e.kind === 'pid' && e.role === 'dockerd' && e.node === node.name);
  for (const entry of recorded.reverse()) {
    const target = { pid: entry.pid, label: node.name, match: entry.match, ...(entry.startTime ? { startTime: entry.startTime } : {}), terminate: false };
    if (await isOurs(target, procTable)) return { pid: entry.pid };
  }
  return {};
}

async function nodeStatus(node: SandboxNodeState, configDir: string, dir: string): Promise<NodeStatus> {
  const netns = await netnsExists(node.netns);
  const cmdline = node.pid !== undefined ? await commandLineOf(node.pid) : undefined;
  const daemonAlive = cmdline !== undefined && cmdline.includes(`${dir}/`);
  const docker = dockerFor(node, configDir);
  const info = daemonAlive ? await docker.run(['info', '--format', '{{.Swarm.LocalNodeState}}'], { timeoutMs: PROBE_TIMEOUT_MS }) : undefined;
  const dockerAnswers = info?.code === 0;
  const swarmState = dockerAnswers ? info.stdout.trim() : undefined;
  const expectedSwarm = node.swarm ? 'active' : 'inactive';
  const healthy = netns && (node.docker === 'stopped' ? !daemonAlive : dockerAnswers && swarmState === expectedSwarm);
  return {
    name: node.name,
    expected: node.docker,
    netns,
    ...(node.pid !== undefined ? { pid: node.pid } : {}),
    daemonAlive,
    dockerAnswers,
    ...(swarmState !== undefined ? { swarmState } : {}),
    healthy,
  };
}

async function clusterStatus(name: string, managerNode: string, state: SandboxState, configDir: string): Promise<ClusterStatus> {
  const members = state.nodes.filter((n) => n.cluster === name && n.swarm);
  const manager = state.nodes.find((n) => n.name === managerNode)!;
  const docker = dockerFor(manager, configDir);
  const nodes = await docker.run(['node', 'ls', '--format', '{{.Hostname}} {{.Status}}'], { timeoutMs: PROBE_TIMEOUT_MS });
  const ready = nodes.code === 0 ? nodes.stdout.split('\n').filter((l) => l.endsWith(' Ready')).length : 0;
  const replicas = nodes.code === 0 ? await serviceReplicas(docker).catch(() => new Map<string, ReplicaCount>()) : new Map<string, ReplicaCount>();
  const services = [...replicas.entries()].map(([service, r]) => ({ name: service, running: r.running, desired: r.desired }));
  return {
    name,
    managerNode,
    nodesReady: ready,
    nodesTotal: members.length,
    services,
    healthy: nodes.code === 0 && ready === members.length && services.every((s) => s.running === s.desired),
  };
}

async function endpointStatus(endpoint: { url: string; pid: number }, dir: string) {
  const alive = (await commandLineOf(endpoint.pid))?.includes(`${dir}/`) ?? false;
  let answering: boolean;
  try {
    const response = await fetch(`${endpoint.url}/_sandbox/stats`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    answering = response.ok;
  } catch {
    answering = false;
  }
  return { ...endpoint, alive, answering };
}

/** NodeDocker needs only the socket from the layout. */
function dockerFor(node: SandboxNodeState, configDir: string): NodeDocker {
  return new NodeDocker({ socket: node.socket, node: { name: node.name } } as unknown as NodeLayout, configDir);
}
