/**
 * Strict validation of the fleet file (types in fleet-file-types.ts): its
 * JSON Schema (fleet-file-schema.ts, ajv), then the rules between fields.
 * Every problem names the path of the offending field, e.g.
 * `instances[2].exec.netnss: unknown field`, so a typo never silently turns
 * into a default.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../../src/errors.js';
import { FIELD_PATHS, shapeCheck } from '../../../src/util/json-schema.js';
import { isKnownOperation } from './endpoint/operations.js';
import { FLEET_FILE_SCHEMA } from './fleet-file-schema.js';
import type { FaultSpec, FleetFile, FleetFileInstance, FleetFileSecurityGroup } from './fleet-file-types.js';

const fleetFileShape = shapeCheck(FLEET_FILE_SCHEMA, FIELD_PATHS);

function fail(path: string, problem: string): never {
  throw new UsageError(`fleet file: ${path}: ${problem}`, 'FleetFileInvalid');
}

const OPERATION_MAPS = ['latencyMs', 'throttle', 'serverErrorRate', 'connectionResetRate'] as const;

function checkFaults(faults: FaultSpec): void {
  for (const map of OPERATION_MAPS) {
    for (const op of Object.keys(faults[map] ?? {})) if (op !== 'default' && !isKnownOperation(op)) fail(`faults.${map}.${op}`, 'unknown operation');
  }
  // An empty text would match every command: a typo must not fail the whole run.
  faults.failCommands?.forEach((fault, i) => {
    if (fault.match.trim() === '') fail(`faults.failCommands[${i}].match`, 'must not be blank');
  });
}

function checkExec(exec: NonNullable<FleetFileInstance['exec']>, path: string): void {
  // A recorded answer runs nothing, so a namespace or environment would be silently ignored.
  if (exec.recorded !== undefined && (exec.netns !== undefined || exec.env !== undefined)) fail(`${path}.recorded`, 'cannot be combined with netns or env');
  if (exec.runtimeMs === undefined) return;
  if (exec.recorded === undefined) fail(`${path}.runtimeMs`, 'needs recorded (a real process takes its own time)');
  const [min, max] = exec.runtimeMs;
  if (max < min) fail(`${path}.runtimeMs`, `max ${max} is below min ${min}`);
}

function checkIngress(group: FleetFileSecurityGroup, path: string): void {
  group.ingress?.forEach((rule, i) => {
    if ((rule.protocol === 'tcp' || rule.protocol === 'udp') && (rule.fromPort === undefined || rule.toPort === undefined)) {
      fail(`${path}.ingress[${i}]`, 'tcp and udp rules need fromPort and toPort');
    }
  });
}

function checkReferences(fleet: FleetFile): void {
  const seen = new Set<string>();
  // instance ids are unique across the whole fleet, every account and region, as EC2's are
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

/** The fleet file's shape (fleet-file-schema.ts), then what ties its fields together. The file is returned as it is: the schema closes every object. */
export function parseFleetFile(json: unknown): FleetFile {
  const problem = fleetFileShape(json);
  if (problem !== undefined) throw new UsageError(`fleet file: ${problem}`, 'FleetFileInvalid');
  const fleet = json as FleetFile;
  if (fleet.faults) checkFaults(fleet.faults);
  fleet.instances.forEach((instance, i) => instance.exec && checkExec(instance.exec, `instances[${i}].exec`));
  fleet.securityGroups?.forEach((group, i) => checkIngress(group, `securityGroups[${i}]`));
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
