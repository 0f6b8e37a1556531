/**
 * Docker objects as the probe's --format templates print them: one JSON
 * object per line whose keys are Docker's own field names (probe.sh's
 * INFO_FORMAT, SERVICE_FORMAT, NETWORK_FORMAT, NODE_FORMAT, TASK_FORMAT),
 * read through one RecordSchema per kind (record-schema.ts: unknown fields
 * ignored, optional fields may be absent, a required field absent or any
 * field of the wrong type is 'malformed') and turned into the HostFacts shapes.
 * Unknown keys inside Docker's own objects (EndpointSpec, IPAM, ...) are
 * ignored too.
 *
 * Required: what a check or a remediation plan decides with, where absence
 * could not be told from "none" (a service without EndpointSpec would read as
 * publishing nothing). Optional: what only names or describes an object, or
 * whose absence reads as "unknown" downstream (an empty engine version is an
 * unknown engine, never a safe one). A required field may still be null where
 * Docker prints null for "empty" (nil maps and slices).
 */
import {
  asArray,
  asBoolean,
  asInteger,
  asObject,
  asOneOf,
  asOptionalBoolean,
  asOptionalString,
  asString,
  asStringRecord,
  type JsonObject,
} from './json-reader.js';
import { optional, readFields, readJsonRecord, recordSchema, required } from './record-schema.js';
import type {
  IpamConfig,
  LocalNodeState,
  NetworkFacts,
  NodeFacts,
  PortFacts,
  ServiceFacts,
  ServiceNetworkAttachment,
  SwarmFacts,
  TaskPlacement,
} from './facts.js';

const NODE_STATES: readonly LocalNodeState[] = ['inactive', 'pending', 'active', 'error', 'locked'];

/** Docker's optional struct pointers and omitempty objects, printed as null when unset. */
function asOptionalObject(value: unknown, path: string): JsonObject | undefined {
  return value === undefined || value === null ? undefined : asObject(value, path);
}

const asText = (value: unknown, path: string) => asOptionalString(value, path) ?? '';

/** `docker info`: DockerRootDir and Swarm.* (ClusterID is Swarm.Cluster.ID, null off managers). */
export const INFO_RECORD = recordSchema('info', {
  DockerRootDir: required(asString),
  LocalNodeState: required((v, p) => asOneOf(v, NODE_STATES, p)),
  ControlAvailable: required(asBoolean),
  NodeID: required(asString),
  NodeAddr: required(asString),
  ClusterID: required(asOptionalString),
  RemoteManagers: required(asArray),
  Error: optional(asText),
});

/**
 * `docker service inspect`: ID (short), Spec.Name, Spec.Mode, Spec.EndpointSpec,
 * Spec.TaskTemplate.Networks (Target as a short network ID, Aliases and
 * DriverOpts when set). Spec.Labels is not printed: nothing reads it.
 */
export const SERVICE_RECORD = recordSchema('service', {
  ID: required(asString),
  Name: required(asString),
  Mode: required(asObject),
  EndpointSpec: required(asOptionalObject),
  Networks: required(asArray),
});

/**
 * `docker network inspect` of an overlay network: Id short, Options without
 * com.docker.network.driver.overlay.vxlanid_list (Swarm allocates it).
 */
export const NETWORK_RECORD = recordSchema('network', {
  Id: required(asString),
  Name: required(asString),
  Scope: required(asString),
  Driver: required(asString),
  Ingress: required(asBoolean),
  Internal: required(asBoolean),
  Attachable: required(asBoolean),
  IPAM: required(asOptionalObject),
  Options: required(asStringRecord),
  Labels: optional(asStringRecord),
});

/** `docker node inspect`: ID, Spec.Role, Spec.Availability, Status.State, Status.Addr, ManagerStatus (null on workers), Description.Hostname, Description.Engine.EngineVersion. */
export const NODE_RECORD = recordSchema('node', {
  ID: required(asString),
  Role: required((v, p) => asOneOf(v, ['manager', 'worker'] as const, p)),
  Availability: required((v, p) => asOneOf(v, ['active', 'pause', 'drain'] as const, p)),
  State: required(asString),
  Addr: required(asString),
  ManagerStatus: required(asOptionalObject),
  Hostname: optional(asText),
  EngineVersion: optional(asText),
});

/**
 * Task placement, grouped by the probe: per NodeID (empty for tasks waiting
 * for a node), the short IDs of every network its running tasks attach to.
 */
export const TASK_RECORD = recordSchema('task', {
  NodeID: required(asString),
  Networks: required(asArray),
});

export interface DockerInfo {
  rootDir: string;
  swarm: SwarmFacts;
}

export function parseInfo(value: unknown, where = 'info'): DockerInfo {
  const info = readJsonRecord(INFO_RECORD, value, where);
  return {
    rootDir: info.DockerRootDir,
    swarm: {
      localNodeState: info.LocalNodeState,
      controlAvailable: info.ControlAvailable,
      nodeId: info.NodeID,
      nodeAddr: info.NodeAddr,
      ...(info.ClusterID ? { clusterId: info.ClusterID } : {}),
      ...(info.Error ? { error: info.Error } : {}),
      remoteManagers: info.RemoteManagers.map((item, i) => {
        const manager = asObject(item, `${where}.RemoteManagers[${i}]`);
        return {
          nodeId: asString(manager.NodeID, `${where}.RemoteManagers[${i}].NodeID`),
          addr: asString(manager.Addr, `${where}.RemoteManagers[${i}].Addr`),
        };
      }),
    },
  };
}

/** Port 0 or null in docker-state.json means "not set". */
function asOptionalPort(value: unknown, path: string): number | undefined {
  return value === undefined || value === null || value === 0 ? undefined : asInteger(value, path, 1, 65535);
}

/** The keys of DockerRootDir/swarm/docker-state.json the probe greps; empty strings mean "not set". */
const SWARM_STATE_RECORD = recordSchema('docker-state.json', {
  ListenAddr: optional(asText),
  AdvertiseAddr: optional(asText),
  DataPathAddr: optional(asText),
  DataPathPort: optional(asOptionalPort),
});

export function parseSwarmState(keys: Readonly<Record<string, unknown>>): NonNullable<SwarmFacts['state']> {
  const state = readFields(SWARM_STATE_RECORD, keys, 'state');
  // Assigned, not spread: see parseIpamConfig.
  const facts: NonNullable<SwarmFacts['state']> = {};
  if (state.ListenAddr) facts.listenAddr = state.ListenAddr;
  if (state.AdvertiseAddr) facts.advertiseAddr = state.AdvertiseAddr;
  if (state.DataPathAddr) facts.dataPathAddr = state.DataPathAddr;
  if (state.DataPathPort) facts.dataPathPort = state.DataPathPort;
  return facts;
}

function parsePort(value: unknown, path: string): PortFacts {
  const port = asObject(value, path);
  const published = port.PublishedPort === undefined || port.PublishedPort === 0 ? undefined : port.PublishedPort;
  return {
    protocol: port.Protocol === undefined ? 'tcp' : asOneOf(port.Protocol, ['tcp', 'udp', 'sctp'] as const, `${path}.Protocol`),
    targetPort: asInteger(port.TargetPort, `${path}.TargetPort`, 0, 65535),
    ...(published === undefined ? {} : { publishedPort: asInteger(published, `${path}.PublishedPort`, 1, 65535) }),
    publishMode:
      port.PublishMode === undefined || port.PublishMode === ''
        ? 'ingress'
        : asOneOf(port.PublishMode, ['ingress', 'host'] as const, `${path}.PublishMode`),
  };
}

function parseAttachment(value: unknown, path: string): ServiceNetworkAttachment {
  const attachment = asObject(value, path);
  return {
    target: asString(attachment.Target, `${path}.Target`),
    aliases: asArray(attachment.Aliases, `${path}.Aliases`).map((alias, i) => asString(alias, `${path}.Aliases[${i}]`)),
    driverOpts: asStringRecord(attachment.DriverOpts, `${path}.DriverOpts`),
  };
}

function parseServiceMode(mode: JsonObject, path: string): Pick<ServiceFacts, 'mode' | 'replicas'> {
  if (mode.Replicated !== undefined && mode.Replicated !== null) {
    const replicated = asObject(mode.Replicated, `${path}.Replicated`);
    return replicated.Replicas === undefined
      ? { mode: 'replicated' }
      : { mode: 'replicated', replicas: asInteger(replicated.Replicas, `${path}.Replicated.Replicas`) };
  }
  if (mode.Global !== undefined && mode.Global !== null) return { mode: 'global' };
  return { mode: 'other' };
}

/** Error paths name the service once its name is known: `service "web".EndpointSpec.Ports[0]`. */
function namedPath(value: unknown, kind: string, where: string): string {
  const name = typeof value === 'object' && value !== null ? (value as JsonObject).Name : undefined;
  return typeof name === 'string' ? `${where} (${kind} ${JSON.stringify(name)})` : where;
}

export function parseService(value: unknown, where: string): ServiceFacts {
  const path = namedPath(value, 'service', where);
  const service = readJsonRecord(SERVICE_RECORD, value, path);
  const endpoint = service.EndpointSpec ?? {};
  return {
    id: service.ID,
    name: service.Name,
    ...parseServiceMode(service.Mode, `${path}.Mode`),
    endpointMode:
      endpoint.Mode === undefined || endpoint.Mode === '' ? 'vip' : asOneOf(endpoint.Mode, ['vip', 'dnsrr'] as const, `${path}.EndpointSpec.Mode`),
    ports: asArray(endpoint.Ports, `${path}.EndpointSpec.Ports`).map((port, i) => parsePort(port, `${path}.EndpointSpec.Ports[${i}]`)),
    networks: service.Networks.map((n, i) => parseAttachment(n, `${path}.Networks[${i}]`)),
  };
}

function parseIpamConfig(value: unknown, path: string): IpamConfig {
  const config = asObject(value, path);
  const subnet = asOptionalString(config.Subnet, `${path}.Subnet`) || undefined;
  const gateway = asOptionalString(config.Gateway, `${path}.Gateway`) || undefined;
  const ipRange = asOptionalString(config.IPRange, `${path}.IPRange`) || undefined;
  // Assigned, not `{ ...(subnet ? { subnet } : {}), ... }`: V8 gives an object literal made only of
  // spreads a hidden class of its own, about 200 bytes more for every network of every host
  // (measured on 10,000 decoded hosts, packages/bench/BENCH.md); assigned objects share one.
  const ipam: IpamConfig = {};
  if (subnet) ipam.subnet = subnet;
  if (gateway) ipam.gateway = gateway;
  if (ipRange) ipam.ipRange = ipRange;
  return ipam;
}

export function parseNetwork(value: unknown, where: string): NetworkFacts {
  const path = namedPath(value, 'network', where);
  const network = readJsonRecord(NETWORK_RECORD, value, path);
  const ipam = network.IPAM ?? {};
  return {
    id: network.Id,
    name: network.Name,
    driver: network.Driver,
    scope: network.Scope,
    ingress: network.Ingress,
    internal: network.Internal,
    attachable: network.Attachable,
    options: network.Options,
    labels: network.Labels,
    ipam: {
      driver: asOptionalString(ipam.Driver, `${path}.IPAM.Driver`) || 'default',
      config: asArray(ipam.Config, `${path}.IPAM.Config`).map((c, i) => parseIpamConfig(c, `${path}.IPAM.Config[${i}]`)),
      options: asStringRecord(ipam.Options, `${path}.IPAM.Options`),
    },
  };
}

export function parseNode(value: unknown, where: string): NodeFacts {
  const node = readJsonRecord(NODE_RECORD, value, where);
  const path = `${where} (node ${node.ID})`;
  const status = node.ManagerStatus;
  const reachability = status ? asOptionalString(status.Reachability, `${path}.ManagerStatus.Reachability`) : undefined;
  const managerAddr = status ? asOptionalString(status.Addr, `${path}.ManagerStatus.Addr`) : undefined;
  return {
    id: node.ID,
    hostname: node.Hostname,
    role: node.Role,
    availability: node.Availability,
    state: node.State,
    addr: node.Addr,
    engineVersion: node.EngineVersion,
    leader: status ? (asOptionalBoolean(status.Leader, `${path}.ManagerStatus.Leader`) ?? false) : false,
    ...(reachability ? { managerReachability: reachability } : {}),
    ...(managerAddr ? { managerAddr } : {}),
  };
}

export function parseTask(value: unknown, where: string): TaskPlacement {
  const task = readJsonRecord(TASK_RECORD, value, where);
  return {
    nodeId: task.NodeID,
    networks: task.Networks.map((id, i) => asString(id, `${where}.Networks[${i}]`)),
  };
}
