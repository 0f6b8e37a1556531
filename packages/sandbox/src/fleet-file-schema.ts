/**
 * The fleet file's shape as a JSON Schema (types in fleet-file-types.ts),
 * checked with ajv by fleet-file.ts: every object closed, so a typo never
 * silently turns into a default. What a schema cannot say well is checked
 * after it, in fleet-file.ts: operation names in the fault maps, rules that
 * tie two fields together, and references between instances and groups.
 */
import type { CommandFaultKind } from './fleet-file-types.js';

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}`;
const GROUP_ID = 'sg-[0-9a-f]{8,17}';

const COMMAND_FAULT_KINDS: readonly CommandFaultKind[] = ['Failed', 'ThrottlingException', 'InternalServerError'];

function closed(properties: Record<string, object>, required: readonly string[] = []) {
  return { type: 'object', properties, required: [...required], additionalProperties: false };
}

const text = (pattern: string, description: string) => ({ type: 'string', pattern: `^${pattern}$`, description });
const integer = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum });
const number = (minimum: number, maximum: number) => ({ type: 'number', minimum, maximum });
const list = (items: object) => ({ type: 'array', items });
const stringMap = (names?: object) => ({ type: 'object', additionalProperties: { type: 'string' }, ...(names ? { propertyNames: names } : {}) });
/** Per operation name ("SendCommand") or "default": the names are checked in fleet-file.ts. */
const perOperation = (value: object) => ({ type: 'object', additionalProperties: value });

const accountId = text('\\d{12}', 'a 12-digit account id');
const region = text('[a-z]{2}(-[a-z]+)+-\\d', 'an AWS region name');
const runtimeMs = { ...list(integer(0, 3_600_000)), minItems: 2, maxItems: 2, description: '[min, max]' };

const agent = closed(
  {
    pingStatus: { enum: ['Online', 'ConnectionLost', 'Inactive'] },
    platform: { enum: ['Linux', 'Windows', 'MacOS'] },
    agentVersion: text('[0-9]{1,6}(\\.[0-9]{1,6}){2,3}', 'a version like 3.3.40.0'),
    behaviour: { enum: ['online', 'offline', 'slow', 'crash'] },
    delayMs: integer(0, 3_600_000),
  },
  ['pingStatus'],
);

const exec = closed({
  netns: text('[A-Za-z0-9_.-]{1,64}', 'a network namespace name'),
  env: stringMap({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
  recorded: closed({ stdout: { type: 'string' }, stderr: { type: 'string' }, code: integer(0, 255) }, ['stdout', 'stderr', 'code']),
  runtimeMs,
});

const instance = closed(
  {
    instanceId: text('i-(?:[0-9a-zA-Z]{8}|[0-9a-zA-Z]{17})', 'an EC2 instance id (i- and 8 or 17 characters)'),
    accountId,
    region,
    tags: stringMap(),
    privateIpAddress: text(IPV4, 'an IPv4 address'),
    state: { enum: ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'] },
    agent,
    securityGroups: list(text(GROUP_ID, 'a security group id')),
    exec,
  },
  ['instanceId'],
);

const securityGroup = closed(
  {
    groupId: text(GROUP_ID, 'a security group id'),
    groupName: { type: 'string' },
    ingress: list(
      closed(
        {
          protocol: text('(?:tcp|udp|icmp|-1|\\d{1,3})', 'tcp, udp, icmp, -1 or a protocol number'),
          fromPort: integer(-1, 65535),
          toPort: integer(-1, 65535),
          sources: list(text(`(?:${GROUP_ID}|${IPV4}/(?:3[0-2]|[12]?\\d))`, 'a security group id or an IPv4 CIDR')),
        },
        ['protocol', 'sources'],
      ),
    ),
  },
  ['groupId'],
);

const faults = closed({
  seed: integer(0, 2 ** 32 - 1),
  latencyMs: perOperation(number(0, 600_000)),
  throttle: perOperation(closed({ ratePerSec: number(0.001, 1_000_000), burst: number(1, 1_000_000) }, ['ratePerSec', 'burst'])),
  serverErrorRate: perOperation(number(0, 1)),
  connectionResetRate: perOperation(number(0, 1)),
  consistencyDelayMs: number(0, 600_000),
  failCommands: list(closed({ match: { type: 'string' }, times: integer(1, 1_000_000), as: { enum: [...COMMAND_FAULT_KINDS] } }, ['match', 'as'])),
});

const limits = closed({
  minDeliveryTimeoutSeconds: integer(1, 30),
  maxConcurrentProcesses: integer(1, 1024),
  associationIntervalMs: integer(100, 86_400_000),
});

export const FLEET_FILE_SCHEMA = closed(
  {
    accountId,
    region,
    assumableRoles: list(text('arn:aws(-[a-z]+)*:iam::\\d{12}:role\\/([\\w+=,.@-]+\\/)*[\\w+=,.@-]{1,64}', 'an IAM role ARN')),
    faults,
    instances: list(instance),
    securityGroups: list(securityGroup),
    limits,
  },
  ['accountId', 'region', 'instances'],
);
