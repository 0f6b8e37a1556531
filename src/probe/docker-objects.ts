/**
 * Docker objects as the probe's --format templates print them (one JSON array
 * of selected fields per line, in the order of probe.sh's INFO_FORMAT,
 * SERVICE_FORMAT, NETWORK_FORMAT, NODE_FORMAT), turned into the HostFacts
 * shapes. Rows of the wrong length and values of the wrong type are
 * 'malformed'; unknown keys inside Docker's own objects are ignored.
 */
import { malformed } from './decode-error.js';
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

/** Field order of each template's row; must match probe.sh. */
export const INFO_FIELDS = ['ServerVersion', 'DockerRootDir', 'LocalNodeState', 'ControlAvailable', 'NodeID', 'NodeAddr', 'ClusterID', 'Error', 'RemoteManagers'] as const;
export const SERVICE_FIELDS = ['ID', 'Name', 'Labels', 'Mode', 'EndpointSpec', 'Networks'] as const;
export const NETWORK_FIELDS = ['Name', 'Id', 'Scope', 'Driver', 'Internal', 'Attachable', 'Ingress', 'IPAM', 'Options', 'Labels'] as const;
export const NODE_FIELDS = ['ID', 'Hostname', 'Role', 'Availability', 'State', 'Addr', 'EngineVersion', 'ManagerStatus'] as const;
export const TASK_FIELDS = ['NodeID', 'Networks'] as const;

/** Names the positions of a template row. */
export function rowObject(value: unknown, fields: readonly string[], where: string): JsonObject {
  if (!Array.isArray(value) || value.length !== fields.length) {
    throw malformed(`${where}: expected an array of ${fields.length} fields`);
  }
  return Object.fromEntries(fields.map((field, i) => [field, value[i]]));
}

const NODE_STATES: readonly LocalNodeState[] = ['inactive', 'pending', 'active', 'error', 'locked'];

export interface DockerInfo {
  serverVersion: string;
  rootDir: string;
  swarm: SwarmFacts;
}

export function parseInfo(value: unknown): DockerInfo {
  const info = rowObject(value, INFO_FIELDS, 'info');
  const clusterId = asOptionalString(info.ClusterID, 'info.ClusterID');
  const error = asString(info.Error ?? '', 'info.Error');
  return {
    serverVersion: asString(info.ServerVersion, 'info.ServerVersion'),
    rootDir: asString(info.DockerRootDir, 'info.DockerRootDir'),
    swarm: {
      localNodeState: asOneOf(info.LocalNodeState, NODE_STATES, 'info.LocalNodeState'),
      controlAvailable: asBoolean(info.ControlAvailable, 'info.ControlAvailable'),
      nodeId: asString(info.NodeID, 'info.NodeID'),
      nodeAddr: asString(info.NodeAddr, 'info.NodeAddr'),
      ...(clusterId ? { clusterId } : {}),
      ...(error ? { error } : {}),
      remoteManagers: asArray(info.RemoteManagers, 'info.RemoteManagers').map((item, i) => {
        const manager = asObject(item, `info.RemoteManagers[${i}]`);
        return {
          nodeId: asString(manager.NodeID, `info.RemoteManagers[${i}].NodeID`),
          addr: asString(manager.Addr, `info.RemoteManagers[${i}].Addr`),
        };
      }),
    },
  };
}

/** Selected keys of DockerRootDir/swarm/docker-state.json. Empty strings mean "not set". */
export function parseSwarmState(value: unknown): NonNullable<SwarmFacts['state']> {
  const state = asObject(value, 'docker-state.json');
  const text = (key: string) => asOptionalString(state[key], `docker-state.json.${key}`) || undefined;
  const listenAddr = text('ListenAddr');
  const advertiseAddr = text('AdvertiseAddr');
  const dataPathAddr = text('DataPathAddr');
  const port = state.DataPathPort;
  const dataPathPort =
    port === undefined || port === null || port === 0 ? undefined : asInteger(port, 'docker-state.json.DataPathPort', 1, 65535);
  return {
    ...(listenAddr ? { listenAddr } : {}),
    ...(advertiseAddr ? { advertiseAddr } : {}),
    ...(dataPathAddr ? { dataPathAddr } : {}),
    ...(dataPathPort ? { dataPathPort } : {}),
  };
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

function parseServiceMode(value: unknown, path: string): Pick<ServiceFacts, 'mode' | 'replicas'> {
  const mode = asObject(value, path);
  if (mode.Replicated !== undefined && mode.Replicated !== null) {
    const replicated = asObject(mode.Replicated, `${path}.Replicated`);
    return replicated.Replicas === undefined
      ? { mode: 'replicated' }
      : { mode: 'replicated', replicas: asInteger(replicated.Replicas, `${path}.Replicated.Replicas`) };
  }
  if (mode.Global !== undefined && mode.Global !== null) return { mode: 'global' };
  return { mode: 'other' };
}

export function parseService(value: unknown, where: string): ServiceFacts {
  const service = rowObject(value, SERVICE_FIELDS, where);
  const name = asString(service.Name, `${where}.Name`);
  const path = `service ${JSON.stringify(name)}`;
  const endpoint = service.EndpointSpec === null || service.EndpointSpec === undefined ? {} : asObject(service.EndpointSpec, `${path}.EndpointSpec`);
  return {
    id: asString(service.ID, `${path}.ID`),
    name,
    labels: asStringRecord(service.Labels, `${path}.Labels`),
    ...parseServiceMode(service.Mode, `${path}.Mode`),
    endpointMode:
      endpoint.Mode === undefined || endpoint.Mode === '' ? 'vip' : asOneOf(endpoint.Mode, ['vip', 'dnsrr'] as const, `${path}.EndpointSpec.Mode`),
    ports: asArray(endpoint.Ports, `${path}.EndpointSpec.Ports`).map((port, i) => parsePort(port, `${path}.EndpointSpec.Ports[${i}]`)),
    networks: asArray(service.Networks, `${path}.Networks`).map((n, i) => parseAttachment(n, `${path}.Networks[${i}]`)),
  };
}

function parseIpamConfig(value: unknown, path: string): IpamConfig {
  const config = asObject(value, path);
  const subnet = asOptionalString(config.Subnet, `${path}.Subnet`) || undefined;
  const gateway = asOptionalString(config.Gateway, `${path}.Gateway`) || undefined;
  const ipRange = asOptionalString(config.IPRange, `${path}.IPRange`) || undefined;
  return { ...(subnet ? { subnet } : {}), ...(gateway ? { gateway } : {}), ...(ipRange ? { ipRange } : {}) };
}

export function parseNetwork(value: unknown, where: string): NetworkFacts {
  const network = rowObject(value, NETWORK_FIELDS, where);
  const name = asString(network.Name, `${where}.Name`);
  const path = `network ${JSON.stringify(name)}`;
  const ipam = network.IPAM === null || network.IPAM === undefined ? {} : asObject(network.IPAM, `${path}.IPAM`);
  return {
    id: asString(network.Id, `${path}.Id`),
    name,
    driver: asString(network.Driver, `${path}.Driver`),
    scope: asString(network.Scope, `${path}.Scope`),
    ingress: asOptionalBoolean(network.Ingress, `${path}.Ingress`) ?? false,
    internal: asOptionalBoolean(network.Internal, `${path}.Internal`) ?? false,
    attachable: asOptionalBoolean(network.Attachable, `${path}.Attachable`) ?? false,
    options: asStringRecord(network.Options, `${path}.Options`),
    labels: asStringRecord(network.Labels, `${path}.Labels`),
    ipam: {
      driver: asOptionalString(ipam.Driver, `${path}.IPAM.Driver`) || 'default',
      config: asArray(ipam.Config, `${path}.IPAM.Config`).map((c, i) => parseIpamConfig(c, `${path}.IPAM.Config[${i}]`)),
      options: asStringRecord(ipam.Options, `${path}.IPAM.Options`),
    },
  };
}

export function parseNode(value: unknown, where: string): NodeFacts {
  const node = rowObject(value, NODE_FIELDS, where);
  const id = asString(node.ID, `${where}.ID`);
  const path = `node ${id}`;
  const status = node.ManagerStatus === null || node.ManagerStatus === undefined ? undefined : asObject(node.ManagerStatus, `${path}.ManagerStatus`);
  const reachability = status ? asOptionalString(status.Reachability, `${path}.ManagerStatus.Reachability`) : undefined;
  const managerAddr = status ? asOptionalString(status.Addr, `${path}.ManagerStatus.Addr`) : undefined;
  return {
    id,
    hostname: asString(node.Hostname, `${path}.Hostname`),
    role: asOneOf(node.Role, ['manager', 'worker'] as const, `${path}.Role`),
    availability: asOneOf(node.Availability, ['active', 'pause', 'drain'] as const, `${path}.Availability`),
    state: asString(node.State, `${path}.State`),
    addr: asString(node.Addr, `${path}.Addr`),
    engineVersion: asString(node.EngineVersion ?? '', `${path}.EngineVersion`),
    leader: status ? (asOptionalBoolean(status.Leader, `${path}.ManagerStatus.Leader`) ?? false) : false,
    ...(reachability ? { managerReachability: reachability } : {}),
    ...(managerAddr ? { managerAddr } : {}),
  };
}

export function parseTask(value: unknown, where: string): TaskPlacement {
  const task = rowObject(value, TASK_FIELDS, where);
  return {
    nodeId: asString(task.NodeID, `${where}.NodeID`),
    networks: asArray(task.Networks, `${where}.Networks`).map((id, i) => asString(id, `${where}.Networks[${i}]`)),
  };
}
