/**
 * Strict validation of the fleet file (types in fleet-file-types.ts). Every
 * problem names the path of the offending field, e.g.
 * `instances[2].exec.netnss: unknown field`, so a typo never silently turns
 * into a default.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { isKnownOperation } from './endpoint/operations.js';
import type {
  CommandFault,
  CommandFaultKind,
  EndpointLimits,
  FaultSpec,
  FleetFile,
  FleetFileInstance,
  FleetFileSecurityGroup,
  RecordedResult,
} from './fleet-file-types.js';

const INSTANCE_ID = /^i-(?:[0-9a-zA-Z]{8}|[0-9a-zA-Z]{17})$/;
const GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const NETNS_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const CIDR = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(?:3[0-2]|[12]?\d)$/;
const AGENT_VERSION = /^[0-9]{1,6}(\.[0-9]{1,6}){2,3}$/;
const STATES = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'];
const PING_STATUSES = ['Online', 'ConnectionLost', 'Inactive'] as const;
const PLATFORMS = ['Linux', 'Windows', 'MacOS'] as const;
const BEHAVIOURS = ['online', 'offline', 'slow', 'crash'] as const;
const COMMAND_FAULT_KINDS: readonly CommandFaultKind[] = ['Failed', 'ThrottlingException', 'InternalServerError'];

type Obj = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new UsageError(`fleet file: ${path}: ${problem}`, 'FleetFileInvalid');
}

function objectAt(value: unknown, path: string, allowed: readonly string[]): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(join(path, key), 'unknown field');
  }
  return value as Obj;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function stringAt(value: unknown, path: string, pattern?: RegExp, what?: string): string {
  if (typeof value !== 'string') fail(path, 'must be a string');
  if (pattern && !pattern.test(value)) fail(path, `${JSON.stringify(value)} is not ${what ?? `matching ${pattern}`}`);
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    fail(path, `must be one of ${choices.join(', ')}`);
  }
  return value as T;
}

function numberAt(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'must be a number');
  if (integer && !Number.isInteger(value)) fail(path, 'must be an integer');
  if (value < min || value > max) fail(path, `must be between ${min} and ${max}`);
  return value;
}

function arrayAt(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  return value;
}

function stringMapAt(value: unknown, path: string, keyPattern?: RegExp): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (keyPattern && !keyPattern.test(key)) fail(join(path, key), 'invalid name');
    out[key] = stringAt(v, join(path, key));
  }
  return out;
}

function operationMap<T>(value: unknown, path: string, item: (v: unknown, p: string) => T): Record<string, T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  const out: Record<string, T> = {};
  for (const [op, v] of Object.entries(value)) {
    if (op !== 'default' && !isKnownOperation(op)) fail(join(path, op), 'unknown operation');
    out[op] = item(v, join(path, op));
  }
  return out;
}

function parseFaults(value: unknown, path: string): FaultSpec {
  const o = objectAt(value, path, [
    'seed', 'latencyMs', 'throttle', 'serverErrorRate', 'connectionResetRate', 'consistencyDelayMs', 'failCommands',
  ]);
  const faults: FaultSpec = {};
  if (o.seed !== undefined) faults.seed = numberAt(o.seed, join(path, 'seed'), 0, 2 ** 32 - 1, true);
  if (o.latencyMs !== undefined) {
    faults.latencyMs = operationMap(o.latencyMs, join(path, 'latencyMs'), (v, p) => numberAt(v, p, 0, 600_000));
  }
  if (o.throttle !== undefined) {
    faults.throttle = operationMap(o.throttle, join(path, 'throttle'), (v, p) => {
      const t = objectAt(v, p, ['ratePerSec', 'burst']);
      return {
        ratePerSec: numberAt(t.ratePerSec, join(p, 'ratePerSec'), 0.001, 1_000_000),
        burst: numberAt(t.burst, join(p, 'burst'), 1, 1_000_000),
      };
    });
  }
  if (o.serverErrorRate !== undefined) {
    faults.serverErrorRate = operationMap(o.serverErrorRate, join(path, 'serverErrorRate'), (v, p) => numberAt(v, p, 0, 1));
  }
  if (o.connectionResetRate !== undefined) {
    faults.connectionResetRate = operationMap(o.connectionResetRate, join(path, 'connectionResetRate'), (v, p) =>
      numberAt(v, p, 0, 1),
    );
  }
  if (o.consistencyDelayMs !== undefined) {
    faults.consistencyDelayMs = numberAt(o.consistencyDelayMs, join(path, 'consistencyDelayMs'), 0, 600_000);
  }
  if (o.failCommands !== undefined) {
    faults.failCommands = arrayAt(o.failCommands, join(path, 'failCommands')).map((v, i) => parseCommandFault(v, `${path}.failCommands[${i}]`));
  }
  return faults;
}

function parseCommandFault(value: unknown, path: string): CommandFault {
  const o = objectAt(value, path, ['match', 'times', 'as']);
  if (o.match === undefined) fail(join(path, 'match'), 'is required');
  if (o.as === undefined) fail(join(path, 'as'), 'is required');
  const match = stringAt(o.match, join(path, 'match'));
  // An empty text would match every command: a typo must not fail the whole run.
  if (match.trim() === '') fail(join(path, 'match'), 'must not be blank');
  const fault: CommandFault = { match, as: oneOf(o.as, join(path, 'as'), COMMAND_FAULT_KINDS) };
  if (o.times !== undefined) fault.times = numberAt(o.times, join(path, 'times'), 1, 1_000_000, true);
  return fault;
}

function parseAgent(value: unknown, path: string): NonNullable<FleetFileInstance['agent']> {
  const o = objectAt(value, path, ['pingStatus', 'platform', 'agentVersion', 'behaviour', 'delayMs']);
  if (o.pingStatus === undefined) fail(join(path, 'pingStatus'), 'is required');
  const agent: NonNullable<FleetFileInstance['agent']> = {
    pingStatus: oneOf(o.pingStatus, join(path, 'pingStatus'), PING_STATUSES),
  };
  if (o.platform !== undefined) agent.platform = oneOf(o.platform, join(path, 'platform'), PLATFORMS);
  if (o.agentVersion !== undefined) {
    agent.agentVersion = stringAt(o.agentVersion, join(path, 'agentVersion'), AGENT_VERSION, 'a version like 3.3.40.0');
  }
  if (o.behaviour !== undefined) agent.behaviour = oneOf(o.behaviour, join(path, 'behaviour'), BEHAVIOURS);
  if (o.delayMs !== undefined) agent.delayMs = numberAt(o.delayMs, join(path, 'delayMs'), 0, 3_600_000, true);
  return agent;
}

function parseExec(value: unknown, path: string): NonNullable<FleetFileInstance['exec']> {
  const o = objectAt(value, path, ['netns', 'env', 'recorded', 'runtimeMs']);
  const exec: NonNullable<FleetFileInstance['exec']> = {};
  if (o.netns !== undefined) exec.netns = stringAt(o.netns, join(path, 'netns'), NETNS_NAME, 'a network namespace name');
  if (o.env !== undefined) exec.env = stringMapAt(o.env, join(path, 'env'), ENV_NAME);
  if (o.recorded !== undefined) {
    // A recorded answer runs nothing, so a namespace or environment would be silently ignored.
    if (exec.netns !== undefined || exec.env !== undefined) fail(join(path, 'recorded'), 'cannot be combined with netns or env');
    exec.recorded = parseRecorded(o.recorded, join(path, 'recorded'));
  }
  if (o.runtimeMs !== undefined) {
    if (exec.recorded === undefined) fail(join(path, 'runtimeMs'), 'needs recorded (a real process takes its own time)');
    exec.runtimeMs = parseRuntime(o.runtimeMs, join(path, 'runtimeMs'));
  }
  return exec;
}

function parseRecorded(value: unknown, path: string): RecordedResult {
  const o = objectAt(value, path, ['stdout', 'stderr', 'code']);
  for (const key of ['stdout', 'stderr', 'code']) if (o[key] === undefined) fail(join(path, key), 'is required');
  return {
    stdout: stringAt(o.stdout, join(path, 'stdout')),
    stderr: stringAt(o.stderr, join(path, 'stderr')),
    code: numberAt(o.code, join(path, 'code'), 0, 255, true),
  };
}

function parseRuntime(value: unknown, path: string): [number, number] {
  const range = arrayAt(value, path);
  if (range.length !== 2) fail(path, 'must be [min, max]');
  const min = numberAt(range[0], `${path}[0]`, 0, 3_600_000, true);
  const max = numberAt(range[1], `${path}[1]`, 0, 3_600_000, true);
  if (max < min) fail(path, `max ${max} is below min ${min}`);
  return [min, max];
}

function parseInstance(value: unknown, path: string): FleetFileInstance {
  const o = objectAt(value, path, ['instanceId', 'tags', 'privateIpAddress', 'state', 'agent', 'securityGroups', 'exec']);
  if (o.instanceId === undefined) fail(join(path, 'instanceId'), 'is required');
  const instance: FleetFileInstance = {
    instanceId: stringAt(o.instanceId, join(path, 'instanceId'), INSTANCE_ID, 'an EC2 instance id (i- and 8 or 17 characters)'),
  };
  if (o.tags !== undefined) instance.tags = stringMapAt(o.tags, join(path, 'tags'));
  if (o.privateIpAddress !== undefined) {
    instance.privateIpAddress = stringAt(o.privateIpAddress, join(path, 'privateIpAddress'), IPV4, 'an IPv4 address');
  }
  if (o.state !== undefined) instance.state = oneOf(o.state, join(path, 'state'), STATES);
  if (o.agent !== undefined) instance.agent = parseAgent(o.agent, join(path, 'agent'));
  if (o.securityGroups !== undefined) {
    instance.securityGroups = arrayAt(o.securityGroups, join(path, 'securityGroups')).map((g, i) =>
      stringAt(g, `${path}.securityGroups[${i}]`, GROUP_ID, 'a security group id'),
    );
  }
  if (o.exec !== undefined) instance.exec = parseExec(o.exec, join(path, 'exec'));
  return instance;
}

function parseSource(value: unknown, path: string): string {
  const source = stringAt(value, path);
  if (!GROUP_ID.test(source) && !CIDR.test(source)) fail(path, `${JSON.stringify(source)} is neither a security group id nor an IPv4 CIDR`);
  return source;
}

function parseSecurityGroup(value: unknown, path: string): FleetFileSecurityGroup {
  const o = objectAt(value, path, ['groupId', 'groupName', 'ingress']);
  if (o.groupId === undefined) fail(join(path, 'groupId'), 'is required');
  const group: FleetFileSecurityGroup = { groupId: stringAt(o.groupId, join(path, 'groupId'), GROUP_ID, 'a security group id') };
  if (o.groupName !== undefined) group.groupName = stringAt(o.groupName, join(path, 'groupName'));
  if (o.ingress !== undefined) {
    group.ingress = arrayAt(o.ingress, join(path, 'ingress')).map((rule, i) => {
      const p = `${path}.ingress[${i}]`;
      const r = objectAt(rule, p, ['protocol', 'fromPort', 'toPort', 'sources']);
      const protocol = stringAt(r.protocol, join(p, 'protocol'), /^(tcp|udp|icmp|-1|\d{1,3})$/, 'tcp, udp, icmp, -1 or a protocol number');
      const parsed: NonNullable<FleetFileSecurityGroup['ingress']>[number] = {
        protocol,
        sources: arrayAt(r.sources, join(p, 'sources')).map((s, j) => parseSource(s, `${p}.sources[${j}]`)),
      };
      if (r.fromPort !== undefined) parsed.fromPort = numberAt(r.fromPort, join(p, 'fromPort'), -1, 65535, true);
      if (r.toPort !== undefined) parsed.toPort = numberAt(r.toPort, join(p, 'toPort'), -1, 65535, true);
      if ((protocol === 'tcp' || protocol === 'udp') && (parsed.fromPort === undefined || parsed.toPort === undefined)) {
        fail(p, 'tcp and udp rules need fromPort and toPort');
      }
      return parsed;
    });
  }
  return group;
}

function parseLimits(value: unknown, path: string): EndpointLimits {
  const o = objectAt(value, path, ['minDeliveryTimeoutSeconds', 'maxConcurrentProcesses', 'associationIntervalMs']);
  const limits: EndpointLimits = {};
  if (o.minDeliveryTimeoutSeconds !== undefined) {
    limits.minDeliveryTimeoutSeconds = numberAt(o.minDeliveryTimeoutSeconds, join(path, 'minDeliveryTimeoutSeconds'), 1, 30, true);
  }
  if (o.maxConcurrentProcesses !== undefined) {
    limits.maxConcurrentProcesses = numberAt(o.maxConcurrentProcesses, join(path, 'maxConcurrentProcesses'), 1, 1024, true);
  }
  if (o.associationIntervalMs !== undefined) {
    limits.associationIntervalMs = numberAt(o.associationIntervalMs, join(path, 'associationIntervalMs'), 100, 86_400_000, true);
  }
  return limits;
}

function checkReferences(fleet: FleetFile): void {
  const seen = new Set<string>();
  fleet.instances.forEach((instance, i) => {
    if (seen.has(instance.instanceId)) fail(`instances[${i}].instanceId`, `duplicate ${instance.instanceId}`);
    seen.add(instance.instanceId);
  });
  if (!fleet.securityGroups) return;
  const groups = new Set<string>();
  fleet.securityGroups.forEach((g, i) => {
    if (groups.has(g.groupId)) fail(`securityGroups[${i}].groupId`, `duplicate ${g.groupId}`);
    groups.add(g.groupId);
  });
  fleet.instances.forEach((instance, i) =>
    instance.securityGroups?.forEach((g, j) => {
      if (!groups.has(g)) fail(`instances[${i}].securityGroups[${j}]`, `${g} is not declared in securityGroups`);
    }),
  );
}

export function parseFleetFile(json: unknown): FleetFile {
  const o = objectAt(json, '', ['accountId', 'region', 'faults', 'instances', 'securityGroups', 'limits']);
  const fleet: FleetFile = {
    accountId: stringAt(o.accountId, 'accountId', /^\d{12}$/, 'a 12-digit account id'),
    region: stringAt(o.region, 'region', /^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region name'),
    instances: arrayAt(o.instances, 'instances').map((v, i) => parseInstance(v, `instances[${i}]`)),
  };
  if (o.faults !== undefined) fleet.faults = parseFaults(o.faults, 'faults');
  if (o.securityGroups !== undefined) {
    fleet.securityGroups = arrayAt(o.securityGroups, 'securityGroups').map((v, i) => parseSecurityGroup(v, `securityGroups[${i}]`));
  }
  if (o.limits !== undefined) fleet.limits = parseLimits(o.limits, 'limits');
  checkReferences(fleet);
  return fleet;
}

export async function loadFleetFile(path: string): Promise<FleetFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`fleet file ${path}: ${(err as Error).message}`, 'FleetFileInvalid', { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`fleet file ${path}: not valid JSON: ${(err as Error).message}`, 'FleetFileInvalid', { cause: err });
  }
  return parseFleetFile(json);
}
