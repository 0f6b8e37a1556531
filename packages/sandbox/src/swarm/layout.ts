import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { hostAddress, parseCidr } from './cidr.js';
import { FIRST_NODE_HOST } from './spec.js';
import type { ResolvedNode, ResolvedSandboxSpec } from './spec-types.js';

/**
 * Where every piece of a sandbox lives: names of namespaces and links,
 * addresses, and paths. Pure, so the fleet file, `up` and the tests agree.
 */
export interface SandboxLayout {
  dir: string;
  prefix: string;
  bridge: { name: string; address: string; cidr: string };
  nodes: NodeLayout[];
  ledgerFile: string;
  stateFile: string;
  fleetFile: string;
  envFile: string;
  endpointReadyFile: string;
  endpointLogFile: string;
  imageDir: string;
  dockerClientConfigDir: string;
}

export interface NodeLayout {
  node: ResolvedNode;
  index: number;
  netns: string;
  hostLink: string;
  address: string;
  hostname: string;
  instanceId: string;
  /** Name of the cgroup that holds the daemon and, through --cgroup-parent, its containers. */
  cgroup: string;
  dir: string;
  dataRoot: string;
  execRoot: string;
  socket: string;
  pidFile: string;
  logFile: string;
}

/** Unix socket paths (sun_path) are limited to 108 bytes; containerd's socket sits deepest under exec-root. */
export const MAX_SOCKET_PATH = 107;

export function computeLayout(spec: ResolvedSandboxSpec, dir: string): SandboxLayout {
  const cidr = parseCidr(spec.subnet)!;
  return {
    dir,
    prefix: spec.prefix,
    bridge: { name: `${spec.prefix}-br`, address: hostAddress(cidr, 1), cidr: spec.subnet },
    nodes: spec.nodes.map((node, index) => nodeLayout(spec, dir, node, index, hostAddress(cidr, FIRST_NODE_HOST + index))),
    ledgerFile: join(dir, 'ledger.jsonl'),
    stateFile: join(dir, 'sandbox.json'),
    fleetFile: join(dir, 'fleet.json'),
    envFile: join(dir, 'sandbox.env'),
    endpointReadyFile: join(dir, 'endpoint.json'),
    endpointLogFile: join(dir, 'endpoint.log'),
    imageDir: join(dir, 'image'),
    dockerClientConfigDir: join(dir, 'docker-client'),
  };
}

function nodeLayout(spec: ResolvedSandboxSpec, dir: string, node: ResolvedNode, index: number, address: string): NodeLayout {
  const nodeDir = join(dir, 'nodes', node.name);
  return {
    node,
    index,
    netns: `${spec.prefix}-${node.name}`,
    hostLink: `${spec.prefix}v${index}`,
    address,
    hostname: node.name,
    instanceId: instanceIdFor(spec.prefix, node.name),
    cgroup: `${spec.prefix}-${node.name}`,
    dir: nodeDir,
    dataRoot: join(nodeDir, 'data'),
    execRoot: join(nodeDir, 'run'),
    socket: join(nodeDir, 'docker.sock'),
    pidFile: join(nodeDir, 'dockerd.pid'),
    logFile: join(nodeDir, 'dockerd.log'),
  };
}

/** "i-0" + 16 hex digits, stable for a (prefix, node) pair so reports compare across runs. */
export function instanceIdFor(prefix: string, nodeName: string): string {
  return `i-0${createHash('sha256').update(`${prefix}/${nodeName}`).digest('hex').slice(0, 16)}`;
}

export function securityGroupIdFor(prefix: string, group: string): string {
  return `sg-0${createHash('sha256').update(`${prefix}/sg/${group}`).digest('hex').slice(0, 16)}`;
}

/** The longest unix socket path a node's daemons will create. */
export function longestSocketPath(node: NodeLayout): string {
  const candidates = [node.socket, join(node.execRoot, 'containerd', 'containerd.sock.ttrpc'), join(node.execRoot, 'swarm', 'control.sock')];
  return candidates.reduce((a, b) => (b.length > a.length ? b : a));
}
