import { readFile } from 'node:fs/promises';
import { UsageError } from '../../../../src/errors.js';
import { cidrsOverlap, cidrSize, isPrivateCidr, parseCidr, type Ipv4Cidr } from './cidr.js';
import {
  childPath,
  readArray,
  readBoolean,
  readInteger,
  readObject,
  readString,
  readStringMap,
  ShapeIssues,
  type StringRule,
} from './shape.js';
import type {
  ResolvedCluster,
  ResolvedNetwork,
  ResolvedNode,
  ResolvedSandboxSpec,
  ResolvedService,
  SpecPort,
  SpecServiceNetwork,
} from './spec-types.js';

/** Docker object names, hostnames and aliases: nothing a shell or a path could misread. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
/** Short enough that `<prefix>-br` and `<prefix>v<index>` fit the 15-character interface-name limit. */
export const PREFIX_PATTERN = /^[a-z][a-z0-9]{1,7}$/;
export const MAX_NODES = 100;
/** Nodes take addresses from .11 up; .1 is the host side of the bridge. */
export const FIRST_NODE_HOST = 11;

const NAME_RULE: StringRule = { pattern: NAME_PATTERN, patternHint: 'is not a valid name (^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$)' };
const TAG_KEY_RULE: StringRule = {
  pattern: /^(?!aws:)[a-zA-Z0-9 _.:/=+\-@]{1,128}$/,
  patternHint: 'is not a valid EC2 tag key (1-128 of letters, digits, space and _.:/=+-@; no aws: prefix)',
};
const TAG_VALUE_RULE: StringRule = { pattern: /^[a-zA-Z0-9 _.:/=+\-@]{0,256}$/, patternHint: 'is not a valid EC2 tag value' };
const DOCKER_KEY_RULE: StringRule = {
  pattern: /^[a-zA-Z0-9][a-zA-Z0-9_./-]{0,127}$/,
  patternHint: 'is not a valid key (^[a-zA-Z0-9][a-zA-Z0-9_./-]{0,127}$)',
};
// eslint-disable-next-line no-control-regex -- Docker label/option values must not carry control characters
const DOCKER_VALUE_RULE: StringRule = { pattern: /^[^\x00-\x1f\x7f]{0,256}$/, patternHint: 'contains control characters or is too long' };

const SPEC_FIELDS = ['prefix', 'subnet', 'region', 'accountId', 'tags', 'nodes', 'clusters'] as const;
const NODE_FIELDS = ['name', 'cluster', 'role', 'bindListenAddr', 'docker', 'swarm', 'agent', 'tags'] as const;
const CLUSTER_FIELDS = ['name', 'tags', 'espAllowed', 'networks', 'services'] as const;
const NETWORK_FIELDS = ['name', 'driver', 'options', 'labels', 'attachable', 'internal', 'subnet'] as const;
const SERVICE_FIELDS = ['name', 'mode', 'replicas', 'ports', 'networks', 'labels'] as const;
const PORT_FIELDS = ['published', 'target', 'protocol', 'mode'] as const;
const SERVICE_NETWORK_FIELDS = ['name', 'aliases'] as const;

/**
 * Validates a sandbox spec strictly and fills defaults. Throws UsageError
 * 'SandboxSpecInvalid' listing every problem with its field path.
 */
export function parseSandboxSpec(json: unknown): ResolvedSandboxSpec {
  const issues = new ShapeIssues();
  const spec = readSpec(json, issues);
  // Cross-field checks on a spec with shape errors would report consequences of the defaults filled in.
  if (spec && issues.list.length === 0) checkCrossReferences(spec, issues);
  if (issues.list.length > 0 || !spec) {
    throw new UsageError(`invalid sandbox spec:\n  ${issues.list.join('\n  ')}`, 'SandboxSpecInvalid');
  }
  return spec;
}

export async function loadSandboxSpec(path: string): Promise<ResolvedSandboxSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read sandbox spec ${path}: ${(error as Error).message}`, 'SandboxSpecInvalid', { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`sandbox spec ${path} is not valid JSON: ${(error as Error).message}`, 'SandboxSpecInvalid', { cause: error });
  }
  try {
    return parseSandboxSpec(json);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${path}: ${error.message}`, error.code, { cause: error });
    throw error;
  }
}

function readSpec(json: unknown, issues: ShapeIssues): ResolvedSandboxSpec | undefined {
  const raw = readObject(json, '', SPEC_FIELDS, issues);
  if (!raw) return undefined;
  const prefix = required(raw, 'prefix', '', issues, (v, p) =>
    readString(v, p, issues, { pattern: PREFIX_PATTERN, patternHint: 'must be 2-8 lowercase letters or digits, starting with a letter' }),
  );
  const subnet = required(raw, 'subnet', '', issues, (v, p) => readSubnet(v, p, issues));
  const region = optional(raw, 'region', '', (v, p) =>
    readString(v, p, issues, { pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, patternHint: 'is not an AWS region name' }),
  );
  const accountId = optional(raw, 'accountId', '', (v, p) =>
    readString(v, p, issues, { pattern: /^\d{12}$/, patternHint: 'must be 12 digits' }),
  );
  const tags = optional(raw, 'tags', '', (v, p) => readStringMap(v, p, issues, TAG_KEY_RULE, TAG_VALUE_RULE));
  const nodes = required(raw, 'nodes', '', issues, (v, p) => readList(v, p, issues, (item, ip) => readNode(item, ip, issues)));
  const clusters = optional(raw, 'clusters', '', (v, p) => readList(v, p, issues, (item, ip) => readCluster(item, ip, issues)));
  if (prefix === undefined || subnet === undefined || nodes === undefined) return undefined;
  return {
    prefix,
    subnet,
    region: region ?? 'us-east-1',
    accountId: accountId ?? '123456789012',
    tags: tags ?? {},
    nodes,
    clusters: clusters ?? [],
  };
}

function readSubnet(value: unknown, path: string, issues: ShapeIssues): string | undefined {
  const text = readString(value, path, issues);
  if (text === undefined) return undefined;
  const cidr = parseCidr(text);
  if (!cidr) {
    issues.add(path, `${JSON.stringify(text)} is not an IPv4 CIDR with its host bits zero (e.g. "10.77.0.0/24")`);
    return undefined;
  }
  if (!isPrivateCidr(cidr)) {
    issues.add(path, `${text} is not inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)`);
    return undefined;
  }
  if (cidr.prefixLength < 16 || cidr.prefixLength > 28) {
    issues.add(path, `prefix length must be between /16 and /28, got /${cidr.prefixLength}`);
    return undefined;
  }
  return text;
}

function readNode(value: unknown, path: string, issues: ShapeIssues): ResolvedNode | undefined {
  const raw = readObject(value, path, NODE_FIELDS, issues);
  if (!raw) return undefined;
  const name = required(raw, 'name', path, issues, (v, p) => readString(v, p, issues, NAME_RULE));
  const cluster = optional(raw, 'cluster', path, (v, p) => readString(v, p, issues, NAME_RULE));
  const role = optional(raw, 'role', path, (v, p) => readString(v, p, issues, { oneOf: ['manager', 'worker'] }));
  const bindListenAddr = optional(raw, 'bindListenAddr', path, (v, p) => readBoolean(v, p, issues));
  const docker = optional(raw, 'docker', path, (v, p) => readString(v, p, issues, { oneOf: ['running', 'stopped'] }));
  const swarm = optional(raw, 'swarm', path, (v, p) => readBoolean(v, p, issues));
  const agent = optional(raw, 'agent', path, (v, p) => readString(v, p, issues, { oneOf: ['online', 'offline', 'lost', 'none'] }));
  const tags = optional(raw, 'tags', path, (v, p) => readStringMap(v, p, issues, TAG_KEY_RULE, TAG_VALUE_RULE));
  if (name === undefined) return undefined;
  const dockerState = (docker ?? 'running') as ResolvedNode['docker'];
  if (swarm === true && dockerState === 'stopped') issues.add(childPath(path, 'swarm'), 'a node with docker "stopped" cannot be in a swarm');
  if (swarm === true && cluster === undefined) issues.add(childPath(path, 'swarm'), 'a swarm node needs a "cluster"');
  return {
    name,
    ...(cluster !== undefined ? { cluster } : {}),
    role: (role ?? 'worker') as ResolvedNode['role'],
    bindListenAddr: bindListenAddr ?? false,
    docker: dockerState,
    swarm: swarm ?? (cluster !== undefined && dockerState === 'running'),
    agent: (agent ?? 'online') as ResolvedNode['agent'],
    tags: tags ?? {},
  };
}

function readCluster(value: unknown, path: string, issues: ShapeIssues): ResolvedCluster | undefined {
  const raw = readObject(value, path, CLUSTER_FIELDS, issues);
  if (!raw) return undefined;
  const name = required(raw, 'name', path, issues, (v, p) => readString(v, p, issues, NAME_RULE));
  const tags = optional(raw, 'tags', path, (v, p) => readStringMap(v, p, issues, TAG_KEY_RULE, TAG_VALUE_RULE));
  const espAllowed = optional(raw, 'espAllowed', path, (v, p) => readBoolean(v, p, issues));
  const networks = optional(raw, 'networks', path, (v, p) => readList(v, p, issues, (item, ip) => readNetwork(item, ip, issues)));
  const services = optional(raw, 'services', path, (v, p) => readList(v, p, issues, (item, ip) => readService(item, ip, issues)));
  if (name === undefined) return undefined;
  return { name, tags: tags ?? {}, espAllowed: espAllowed ?? true, networks: networks ?? [], services: services ?? [] };
}

function readNetwork(value: unknown, path: string, issues: ShapeIssues): ResolvedNetwork | undefined {
  const raw = readObject(value, path, NETWORK_FIELDS, issues);
  if (!raw) return undefined;
  const name = required(raw, 'name', path, issues, (v, p) => readString(v, p, issues, NAME_RULE));
  optional(raw, 'driver', path, (v, p) => readString(v, p, issues, { oneOf: ['overlay'] }));
  const options = optional(raw, 'options', path, (v, p) => readStringMap(v, p, issues, DOCKER_KEY_RULE, DOCKER_VALUE_RULE));
  const labels = optional(raw, 'labels', path, (v, p) => readStringMap(v, p, issues, DOCKER_KEY_RULE, DOCKER_VALUE_RULE));
  const attachable = optional(raw, 'attachable', path, (v, p) => readBoolean(v, p, issues));
  const internal = optional(raw, 'internal', path, (v, p) => readBoolean(v, p, issues));
  const subnet = optional(raw, 'subnet', path, (v, p) => {
    const text = readString(v, p, issues);
    if (text !== undefined && !parseCidr(text)) issues.add(p, `${JSON.stringify(text)} is not an IPv4 CIDR with its host bits zero`);
    return text;
  });
  if (name === undefined) return undefined;
  if (name === 'ingress') issues.add(childPath(path, 'name'), '"ingress" is the built-in routing-mesh network; choose another name');
  return {
    name,
    driver: 'overlay',
    options: options ?? {},
    labels: labels ?? {},
    attachable: attachable ?? false,
    internal: internal ?? false,
    ...(subnet !== undefined ? { subnet } : {}),
  };
}

function readService(value: unknown, path: string, issues: ShapeIssues): ResolvedService | undefined {
  const raw = readObject(value, path, SERVICE_FIELDS, issues);
  if (!raw) return undefined;
  const name = required(raw, 'name', path, issues, (v, p) => readString(v, p, issues, NAME_RULE));
  const mode = optional(raw, 'mode', path, (v, p) => readString(v, p, issues, { oneOf: ['replicated', 'global'] }));
  const replicas = optional(raw, 'replicas', path, (v, p) => readInteger(v, p, issues, 0, 20));
  const ports = optional(raw, 'ports', path, (v, p) => readList(v, p, issues, (item, ip) => readPort(item, ip, issues)));
  const networks = optional(raw, 'networks', path, (v, p) =>
    readList(v, p, issues, (item, ip) => readServiceNetwork(item, ip, issues)),
  );
  const labels = optional(raw, 'labels', path, (v, p) => readStringMap(v, p, issues, DOCKER_KEY_RULE, DOCKER_VALUE_RULE));
  if (name === undefined) return undefined;
  if (mode === 'global' && replicas !== undefined) issues.add(childPath(path, 'replicas'), 'a global service has no replica count');
  return {
    name,
    mode: (mode ?? 'replicated') as ResolvedService['mode'],
    replicas: mode === 'global' ? 0 : (replicas ?? 1),
    ports: ports ?? [],
    networks: networks ?? [],
    labels: labels ?? {},
  };
}

function readPort(value: unknown, path: string, issues: ShapeIssues): Required<SpecPort> | undefined {
  const raw = readObject(value, path, PORT_FIELDS, issues);
  if (!raw) return undefined;
  const published = required(raw, 'published', path, issues, (v, p) => readInteger(v, p, issues, 1, 65535));
  const target = required(raw, 'target', path, issues, (v, p) => readInteger(v, p, issues, 1, 65535));
  const protocol = optional(raw, 'protocol', path, (v, p) => readString(v, p, issues, { oneOf: ['tcp', 'udp'] }));
  const mode = optional(raw, 'mode', path, (v, p) => readString(v, p, issues, { oneOf: ['ingress', 'host'] }));
  if (published === undefined || target === undefined) return undefined;
  return { published, target, protocol: (protocol ?? 'tcp') as 'tcp' | 'udp', mode: (mode ?? 'ingress') as 'ingress' | 'host' };
}

function readServiceNetwork(value: unknown, path: string, issues: ShapeIssues): Required<SpecServiceNetwork> | undefined {
  const raw = readObject(value, path, SERVICE_NETWORK_FIELDS, issues);
  if (!raw) return undefined;
  const name = required(raw, 'name', path, issues, (v, p) => readString(v, p, issues, NAME_RULE));
  const aliases = optional(raw, 'aliases', path, (v, p) =>
    readList(v, p, issues, (item, ip) => readString(item, ip, issues, NAME_RULE)),
  );
  if (name === undefined) return undefined;
  return { name, aliases: aliases ?? [] };
}

/** Everything that needs more than one field: references, duplicates, overlaps, capacity. */
function checkCrossReferences(spec: ResolvedSandboxSpec, issues: ShapeIssues): void {
  const nodeSubnet = parseCidr(spec.subnet)!;
  if (spec.nodes.length === 0) issues.add('nodes', 'at least one node is needed');
  if (spec.nodes.length > MAX_NODES) issues.add('nodes', `at most ${MAX_NODES} nodes`);
  if (FIRST_NODE_HOST + spec.nodes.length > cidrSize(nodeSubnet) - 1) {
    issues.add('subnet', `${spec.subnet} has no room for ${spec.nodes.length} nodes starting at .${FIRST_NODE_HOST}`);
  }
  reportDuplicates(spec.nodes.map((n) => n.name.toLowerCase()), 'nodes', 'name', issues);
  reportDuplicates(spec.clusters.map((c) => c.name), 'clusters', 'name', issues);
  const clusterNames = new Set(spec.clusters.map((c) => c.name));
  spec.nodes.forEach((node, i) => {
    if (node.cluster !== undefined && !clusterNames.has(node.cluster)) {
      issues.add(`nodes[${i}].cluster`, `unknown cluster ${JSON.stringify(node.cluster)}`);
    }
  });
  spec.clusters.forEach((cluster, i) => checkCluster(spec, cluster, `clusters[${i}]`, nodeSubnet, issues));
}

function checkCluster(spec: ResolvedSandboxSpec, cluster: ResolvedCluster, path: string, nodeSubnet: Ipv4Cidr, issues: ShapeIssues): void {
  const members = spec.nodes.filter((n) => n.cluster === cluster.name && n.swarm);
  if (!members.some((n) => n.role === 'manager')) {
    issues.add(path, `cluster ${JSON.stringify(cluster.name)} needs a node with role "manager" and swarm true`);
  }
  reportDuplicates(cluster.networks.map((n) => n.name), `${path}.networks`, 'name', issues);
  reportDuplicates(cluster.services.map((s) => s.name), `${path}.services`, 'name', issues);
  checkNetworkSubnets(cluster, path, nodeSubnet, issues);
  const networkNames = new Set(cluster.networks.map((n) => n.name));
  const ingressPorts = new Map<string, string>();
  cluster.services.forEach((service, si) => {
    const servicePath = `${path}.services[${si}]`;
    reportDuplicates(service.networks.map((n) => n.name), `${servicePath}.networks`, 'name', issues);
    service.networks.forEach((attachment, ni) => {
      if (!networkNames.has(attachment.name)) {
        issues.add(`${servicePath}.networks[${ni}].name`, `unknown network ${JSON.stringify(attachment.name)} in cluster ${cluster.name}`);
      }
    });
    service.ports.forEach((port, pi) => {
      const portPath = `${servicePath}.ports[${pi}]`;
      if (port.mode === 'ingress') {
        const key = `${port.published}/${port.protocol}`;
        const owner = ingressPorts.get(key);
        if (owner !== undefined) issues.add(`${portPath}.published`, `${key} is already published by ${owner}`);
        else ingressPorts.set(key, service.name);
      } else if (service.mode === 'replicated' && service.replicas > members.length) {
        issues.add(`${portPath}.mode`, `host-mode port with ${service.replicas} replicas needs as many swarm nodes (cluster has ${members.length})`);
      }
    });
  });
}

function checkNetworkSubnets(cluster: ResolvedCluster, path: string, nodeSubnet: Ipv4Cidr, issues: ShapeIssues): void {
  const seen: { cidr: Ipv4Cidr; name: string }[] = [];
  cluster.networks.forEach((network, i) => {
    const cidr = network.subnet !== undefined ? parseCidr(network.subnet) : undefined;
    if (!cidr) return;
    const subnetPath = `${path}.networks[${i}].subnet`;
    if (cidrsOverlap(cidr, nodeSubnet)) issues.add(subnetPath, `${network.subnet} overlaps the node subnet`);
    const clash = seen.find((other) => cidrsOverlap(other.cidr, cidr));
    if (clash) issues.add(subnetPath, `${network.subnet} overlaps network ${clash.name}`);
    seen.push({ cidr, name: network.name });
  });
}

function reportDuplicates(values: string[], path: string, field: string, issues: ShapeIssues): void {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) issues.add(`${path}[${i}].${field}`, `duplicate ${JSON.stringify(value)}`);
    seen.add(value);
  });
}

function readList<T>(value: unknown, path: string, issues: ShapeIssues, readItem: (item: unknown, path: string) => T | undefined): T[] | undefined {
  const items = readArray(value, path, issues);
  if (!items) return undefined;
  const result: T[] = [];
  items.forEach((item, i) => {
    const parsed = readItem(item, childPath(path, i));
    if (parsed !== undefined) result.push(parsed);
  });
  return result.length === items.length ? result : undefined;
}

function required<T>(
  raw: Record<string, unknown>,
  key: string,
  path: string,
  issues: ShapeIssues,
  read: (value: unknown, path: string) => T | undefined,
): T | undefined {
  if (!(key in raw)) {
    issues.add(childPath(path, key), 'required field is missing');
    return undefined;
  }
  return read(raw[key], childPath(path, key));
}

function optional<T>(raw: Record<string, unknown>, key: string, path: string, read: (value: unknown, path: string) => T | undefined): T | undefined {
  if (!(key in raw) || raw[key] === undefined) return undefined;
  return read(raw[key], childPath(path, key));
}
