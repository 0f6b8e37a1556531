import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { UsageError } from '../../../../src/errors.js';
import { checkSandboxSupport } from './preflight.js';
import { NodeDocker } from './docker-client.js';
import { startDockerd, waitForDockerd } from './dockerd.js';
import { startEndpointProcess } from './endpoint-process.js';
import { buildEnvFile, buildFleetFile } from './fleet-builder.js';
import { assertSubnetFree, createBridge, createNetns, linkExists, netnsExists, wireNode } from './host-network.js';
import { buildRootfs, importRootfs, loadImage, saveImage } from './image.js';
import { computeLayout, longestSocketPath, MAX_SOCKET_PATH, type NodeLayout, type SandboxLayout } from './layout.js';
import { Ledger, readLedger } from './ledger.js';
import { defaultEndpointCommand, defaultSandboxDir, resolveSpecPath } from './paths.js';
import { loadSandboxSpec, parseSandboxSpec } from './spec.js';
import type { ResolvedSandboxSpec, SandboxSpec } from './spec-types.js';
import type { SandboxClusterState, SandboxState, SandboxTimings } from './state-types.js';
import { sandboxDown } from './down.js';
import { createNetworks, createServices, formCluster, waitForNodesReady, waitForServices, type FormedCluster } from './swarm-build.js';
import { cgroupExistsAnywhere } from './cgroups.js';

export interface SandboxUpOptions {
  /** A spec object, a path to a spec file, or "default" / "minimal". Default: the shipped default spec. */
  spec?: SandboxSpec | string;
  /** State directory. Default: /tmp/swarm-audit-sandbox for prefix swa, /tmp/swarm-audit-sandbox-<prefix> otherwise. */
  dir?: string;
  logger?: Logger;
  /** Start the local AWS endpoint (default true). */
  startEndpoint?: boolean;
  /** Program and leading arguments of the endpoint; `--fleet F --port 0 --ready-file R` are appended. */
  endpointCommand?: string[];
  /** Leave whatever was built when `up` fails, for debugging (default: tear it down). */
  keepOnFailure?: boolean;
  timeouts?: Partial<SandboxTimeouts>;
}

interface SandboxTimeouts {
  dockerdMs: number;
  nodesReadyMs: number;
  servicesMs: number;
  endpointMs: number;
}

const DEFAULT_TIMEOUTS: SandboxTimeouts = { dockerdMs: 30_000, nodesReadyMs: 30_000, servicesMs: 60_000, endpointMs: 20_000 };

/**
 * Builds the sandbox: bridge, namespaces, one dockerd per node, the local
 * busybox image, the swarms with their networks and services, the fleet
 * file, and (by default) the local AWS endpoint. On failure it tears down
 * what it made, unless keepOnFailure.
 */
export async function sandboxUp(opts: SandboxUpOptions = {}): Promise<SandboxState> {
  const started = Date.now();
  const logger = opts.logger ?? pino({ level: 'silent' });
  const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const tools = await checkSandboxSupport();
  const spec = await resolveSpec(opts.spec);
  const dir = resolve(opts.dir ?? defaultSandboxDir(spec.prefix));
  const layout = computeLayout(spec, dir);
  await assertCanBuild(layout);
  const createdDir = await prepareDir(dir);
  const ledger = new Ledger(layout.ledgerFile);
  await ledger.record({ kind: 'sandbox', prefix: spec.prefix, dir, createdDir });
  const timings: SandboxTimings = { totalMs: 0 };
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      timings[`${phase}Ms`] = Date.now() - t0;
      logger.debug({ phase, ms: timings[`${phase}Ms`] }, 'sandbox phase done');
    }
  };
  try {
    logger.info({ dir, prefix: spec.prefix, nodes: spec.nodes.length }, 'sandbox up: building');
    await timed('network', () => buildNetwork(layout, ledger));
    const configDir = layout.dockerClientConfigDir;
    await mkdir(configDir, { recursive: true });
    const running = layout.nodes.filter((n) => n.node.docker === 'running');
    const dockers = new Map(running.map((n) => [n.node.name, new NodeDocker(n, configDir)]));
    const rootfsReady = buildRootfs(tools.busybox, layout.imageDir);
    rootfsReady.catch(() => undefined); // awaited below; this only keeps an early daemon failure from leaving it unhandled
    const pids = await timed('daemons', () => startDaemons(running, dockers, ledger, timeouts.dockerdMs));
    const [, formed] = await Promise.all([
      timed('image', async () => distributeImage([...dockers.values()], await rootfsReady, layout, configDir)),
      timed('swarm', () => formClusters(spec, dockers, timeouts.nodesReadyMs)),
    ]);
    await timed('services', () => deployServices(spec, formed, timeouts.servicesMs));
    const fleet = buildFleetFile(spec, layout);
    await writeAtomically(layout.fleetFile, `${JSON.stringify(fleet, null, 2)}\n`);
    const endpoint =
      opts.startEndpoint === false
        ? undefined
        : await timed('endpoint', () => startEndpointProcess(layout, ledger, opts.endpointCommand ?? defaultEndpointCommand(), timeouts.endpointMs));
    await writeAtomically(layout.envFile, buildEnvFile(spec, endpoint?.url));
    timings.totalMs = Date.now() - started;
    const state = describeState(spec, layout, pids, formed, endpoint, timings);
    await writeAtomically(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`);
    logger.info({ totalMs: timings.totalMs, timings, endpoint: endpoint?.url }, 'sandbox up: ready');
    return state;
  } catch (error) {
    logger.error({ err: error }, 'sandbox up failed');
    if (!opts.keepOnFailure) {
      await sandboxDown({ dir, logger }).catch((downError: unknown) =>
        logger.error({ err: downError }, `cleanup after the failed up also failed; run sandbox down --dir ${dir}`),
      );
    }
    throw error;
  }
}

async function resolveSpec(spec: SandboxSpec | string | undefined): Promise<ResolvedSandboxSpec> {
  if (spec === undefined || typeof spec === 'string') return loadSandboxSpec(await resolveSpecPath(spec ?? 'default'));
  return parseSandboxSpec(spec);
}

/** Refuses to build over anything: an existing sandbox, a non-empty dir, names or a subnet already taken, sockets too long. */
async function assertCanBuild(layout: SandboxLayout): Promise<void> {
  if (await readLedger(layout.ledgerFile)) {
    throw new UsageError(`a sandbox already exists in ${layout.dir}: run \`swarm-audit sandbox down --dir ${layout.dir}\` first`, 'SandboxExists');
  }
  const entries = await readdir(layout.dir).catch(() => [] as string[]);
  if (entries.length > 0) throw new UsageError(`${layout.dir} is not empty: choose another --dir`, 'SandboxDirNotEmpty');
  const tooLong = layout.nodes.map(longestSocketPath).find((p) => p.length > MAX_SOCKET_PATH);
  if (tooLong) throw new UsageError(`socket path ${tooLong} is longer than ${MAX_SOCKET_PATH} bytes: use a shorter --dir or node name`, 'SandboxDirTooLong');
  const taken: string[] = [];
  if (await linkExists(layout.bridge.name)) taken.push(`link ${layout.bridge.name}`);
  for (const node of layout.nodes) {
    if (await netnsExists(node.netns)) taken.push(`netns ${node.netns}`);
    if (await linkExists(node.hostLink)) taken.push(`link ${node.hostLink}`);
    if (await cgroupExistsAnywhere(node.cgroup)) taken.push(`cgroup ${node.cgroup}`);
  }
  if (taken.length > 0) {
    throw new UsageError(`prefix ${layout.prefix} is in use (${taken.join(', ')}): another sandbox with this prefix is up, or a crashed one lost its dir`, 'SandboxNamesInUse');
  }
  await assertSubnetFree(layout.bridge.cidr);
}

/** Returns whether `up` created the dir (then `down` removes it whole). */
async function prepareDir(dir: string): Promise<boolean> {
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  return created !== undefined;
}

async function buildNetwork(layout: SandboxLayout, ledger: Ledger): Promise<void> {
  await ledger.record({ kind: 'bridge', name: layout.bridge.name });
  await createBridge(layout);
  await Promise.all(
    layout.nodes.map(async (node) => {
      await ledger.record({ kind: 'netns', name: node.netns });
      await createNetns(node);
      await ledger.record({ kind: 'link', name: node.hostLink });
      await wireNode(node, layout);
      await mkdir(node.dir, { recursive: true });
    }),
  );
}

async function startDaemons(nodes: NodeLayout[], dockers: Map<string, NodeDocker>, ledger: Ledger, timeoutMs: number): Promise<Map<string, number>> {
  const pids = new Map<string, number>();
  await Promise.all(
    nodes.map(async (node) => {
      const pid = await startDockerd(node, ledger);
      pids.set(node.node.name, pid);
      await waitForDockerd(dockers.get(node.node.name)!, pid, timeoutMs);
    }),
  );
  return pids;
}

/** Import once, save once, load everywhere else in parallel: identical image ids on every node. */
async function distributeImage(dockers: NodeDocker[], rootfs: string, layout: SandboxLayout, configDir: string): Promise<void> {
  const [first, ...others] = dockers;
  if (!first) return;
  await importRootfs(first, rootfs, configDir);
  if (others.length === 0) return;
  const archive = join(layout.imageDir, 'busybox.tar');
  await saveImage(first, archive);
  await Promise.all(others.map((d) => loadImage(d, archive)));
}

async function formClusters(spec: ResolvedSandboxSpec, dockers: Map<string, NodeDocker>, readyTimeoutMs: number): Promise<FormedCluster[]> {
  return Promise.all(
    spec.clusters.map(async (cluster) => {
      const members = spec.nodes.filter((n) => n.cluster === cluster.name && n.swarm).map((n) => dockers.get(n.name)!);
      const formed = await formCluster(cluster, members);
      await waitForNodesReady(formed.leader, members.map((m) => m.node.hostname), readyTimeoutMs);
      await createNetworks(formed.leader, cluster);
      return formed;
    }),
  );
}

async function deployServices(spec: ResolvedSandboxSpec, formed: FormedCluster[], timeoutMs: number): Promise<void> {
  await Promise.all(
    spec.clusters.map(async (cluster, i) => {
      await createServices(formed[i].leader, cluster);
      await waitForServices(formed[i].leader, cluster, timeoutMs);
    }),
  );
}

function describeState(
  spec: ResolvedSandboxSpec,
  layout: SandboxLayout,
  pids: Map<string, number>,
  formed: FormedCluster[],
  endpoint: { url: string; pid: number } | undefined,
  timings: SandboxTimings,
): SandboxState {
  const clusters: SandboxClusterState[] = formed.map((f) => ({ name: f.name, managerNode: f.managerNode, clusterId: f.clusterId }));
  return {
    dir: layout.dir,
    prefix: spec.prefix,
    subnet: spec.subnet,
    fleetFile: layout.fleetFile,
    envFile: layout.envFile,
    ledgerFile: layout.ledgerFile,
    bridge: { name: layout.bridge.name, address: layout.bridge.address },
    ...(endpoint ? { endpoint } : {}),
    nodes: layout.nodes.map((n) => ({
      name: n.node.name,
      hostname: n.hostname,
      netns: n.netns,
      hostLink: n.hostLink,
      address: n.address,
      socket: n.socket,
      ...(pids.has(n.node.name) ? { pid: pids.get(n.node.name)! } : {}),
      instanceId: n.instanceId,
      logFile: n.logFile,
      docker: n.node.docker,
      swarm: n.node.swarm,
      agent: n.node.agent,
      ...(n.node.cluster !== undefined ? { cluster: n.node.cluster } : {}),
      ...(n.node.swarm ? { role: n.node.role } : {}),
      bindListenAddr: n.node.bindListenAddr,
    })),
    clusters,
    timings,
  };
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, path);
}
