/**
 * What a remediation must leave exactly as it found it, read straight from
 * Docker on the nodes (each node's own dockerd socket; never through our
 * probe or SSM), and a diff that names each difference by path.
 *
 * Left out, each because it legitimately changes when a step and its undo
 * both ran (or because Docker reallocates it), never because a test failed:
 * - object ids (networks, services, nodes): a migration recreates networks
 *   and a rejoin gives the node a new id; services point at networks by id,
 *   so attachments are compared by network NAME;
 * - versions, CreatedAt/UpdatedAt, PreviousSpec, UpdateStatus: every update
 *   bumps them;
 * - the overlay option com.docker.network.driver.overlay.vxlanid_list: the
 *   manager allocates a new VNI to every network it creates, the recreated
 *   ingress included;
 * - service Endpoint.VirtualIPs and task/container state: allocated per
 *   network id and per task; restarted tasks get new ones;
 * - manager leadership: not changed by any plan, but a dockerd restart of a
 *   manager may move it;
 * - the order of published ports (`docker service update` sorts them) and of
 *   aliases: order carries no meaning to Docker.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { SandboxState } from '../../../../packages/sandbox/src/swarm/index.js';

const run = promisify(execFile);

export async function docker(socket: string, args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/docker', ['-H', `unix://${socket}`, ...args], {
    encoding: 'utf8',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    timeout: 30_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

interface NetworkView {
  name: string;
  driver: string;
  scope: string;
  ingress: boolean;
  internal: boolean;
  attachable: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
  ipam: { driver: string; options: Record<string, string>; config: { subnet?: string; gateway?: string }[] };
}

interface ServiceView {
  name: string;
  mode: string;
  labels: Record<string, string>;
  networks: { network: string; aliases: string[]; driverOpts: Record<string, string> }[];
  ports: { protocol: string; target: number; published: number; mode: string }[];
}

interface NodeView {
  hostname: string;
  role: string;
  availability: string;
  labels: Record<string, string>;
  state: string;
  addr: string;
  managerAddr?: string;
}

interface ListenView {
  node: string;
  listenAddr: string;
  advertiseAddr: string;
}

export interface ClusterSnapshot {
  networks: NetworkView[];
  services: ServiceView[];
  nodes: NodeView[];
  listen: ListenView[];
}

type Json = Record<string, any>;
const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
const ids = (text: string) => text.split('\n').filter(Boolean);

async function inspect(socket: string, kind: string, list: string[]): Promise<Json[]> {
  return list.length ? (JSON.parse(await docker(socket, [kind, 'inspect', ...list])) as Json[]) : [];
}

function networkView(n: Json): NetworkView {
  const options = { ...(n.Options ?? {}) } as Record<string, string>;
  delete options['com.docker.network.driver.overlay.vxlanid_list'];
  return {
    name: n.Name,
    driver: n.Driver,
    scope: n.Scope,
    ingress: n.Ingress,
    internal: n.Internal,
    attachable: n.Attachable,
    labels: n.Labels ?? {},
    options,
    ipam: {
      driver: n.IPAM?.Driver ?? '',
      options: n.IPAM?.Options ?? {},
      config: (n.IPAM?.Config ?? []).map((c: Json) => ({ subnet: c.Subnet, gateway: c.Gateway })),
    },
  };
}

function serviceView(s: Json, networkName: Map<string, string>): ServiceView {
  const mode = s.Spec.Mode?.Global ? 'global' : `replicated:${s.Spec.Mode?.Replicated?.Replicas ?? 1}`;
  return {
    name: s.Spec.Name,
    mode,
    labels: s.Spec.Labels ?? {},
    networks: ((s.Spec.TaskTemplate?.Networks ?? []) as Json[])
      .map((a) => ({
        // an id that names no network is kept as is: it shows up in the diff
        network: networkName.get(a.Target) ?? `<id ${a.Target}>`,
        aliases: [...((a.Aliases ?? []) as string[])].sort(),
        driverOpts: a.DriverOpts ?? {},
      }))
      .sort(byKey((a) => a.network)),
    ports: ((s.Spec.EndpointSpec?.Ports ?? []) as Json[])
      .map((p) => ({ protocol: p.Protocol ?? 'tcp', target: p.TargetPort, published: p.PublishedPort, mode: p.PublishMode ?? 'ingress' }))
      .sort(byKey((p) => `${p.protocol}/${p.target}/${p.published}/${p.mode}`)),
  };
}

function nodeView(n: Json): NodeView {
  return {
    hostname: n.Description.Hostname,
    role: n.Spec.Role,
    availability: n.Spec.Availability,
    labels: n.Spec.Labels ?? {},
    state: n.Status.State,
    addr: n.Status.Addr,
    ...(n.ManagerStatus ? { managerAddr: n.ManagerStatus.Addr } : {}),
  };
}

/** Each running node's swarm listen and advertise address, as its dockerd persisted them. */
async function listenView(node: SandboxState['nodes'][number]): Promise<ListenView> {
  const root = (await docker(node.socket, ['info', '-f', '{{.DockerRootDir}}'])).trim();
  const state = JSON.parse(await readFile(`${root}/swarm/docker-state.json`, 'utf8')) as { ListenAddr: string; AdvertiseAddr: string };
  return { node: node.name, listenAddr: state.ListenAddr, advertiseAddr: state.AdvertiseAddr };
}

/** The cluster as its manager (node `managerNode`) sees it, plus every node's own listen address. */
export async function clusterSnapshot(state: SandboxState, managerNode: string): Promise<ClusterSnapshot> {
  const manager = state.nodes.find((n) => n.name === managerNode);
  if (!manager) throw new Error(`no node ${managerNode} in the sandbox`);
  const socket = manager.socket;
  const networks = await inspect(socket, 'network', ids(await docker(socket, ['network', 'ls', '--filter', 'scope=swarm', '-q'])));
  const networkName = new Map(networks.map((n) => [n.Id as string, n.Name as string]));
  const services = await inspect(socket, 'service', ids(await docker(socket, ['service', 'ls', '-q'])));
  const nodes = await inspect(socket, 'node', ids(await docker(socket, ['node', 'ls', '-q'])));
  return {
    networks: networks.map(networkView).sort(byKey((n) => n.name)),
    services: services.map((s) => serviceView(s, networkName)).sort(byKey((s) => s.name)),
    nodes: nodes.map(nodeView).sort(byKey((n) => `${n.hostname}/${n.state}`)),
    listen: await Promise.all(state.nodes.filter((n) => n.docker === 'running').map(listenView)),
  };
}

/**
 * Every difference as one line `path: before -> after`; entries of the
 * top-level lists are matched by name (networks, services), hostname (nodes)
 * or node (listen), so a missing or extra one reads as such.
 */
export function diffSnapshots(before: ClusterSnapshot, after: ClusterSnapshot): string[] {
  const lines: string[] = [];
  const keyed = <T>(list: T[], key: (t: T) => string) => new Map(list.map((t, i) => [key(t) + (list.findIndex((u) => key(u) === key(t)) === i ? '' : `#${i}`), t]));
  const sections: [string, unknown[], unknown[], (t: any) => string][] = [
    ['networks', before.networks, after.networks, (n: NetworkView) => n.name],
    ['services', before.services, after.services, (s: ServiceView) => s.name],
    ['nodes', before.nodes, after.nodes, (n: NodeView) => n.hostname],
    ['listen', before.listen, after.listen, (l: ListenView) => l.node],
  ];
  for (const [section, was, now, key] of sections) {
    const a = keyed(was, key);
    const b = keyed(now, key);
    for (const name of new Set([...a.keys(), ...b.keys()])) diffValue(`${section}[${name}]`, a.get(name), b.get(name), lines);
  }
  return lines;
}

function diffValue(path: string, a: unknown, b: unknown, lines: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) diffValue(`${path}.${k}`, ao[k], bo[k], lines);
    return;
  }
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));
  lines.push(`${path}: ${show(a)} -> ${show(b)}`);
}
