/**
 * The optional audit configuration file (JSON), merged with flags:
 * { "allowPublished": { "services": ["edge-proxy"], "ports": ["443/tcp", "80"] } }
 */
import { readFile } from 'node:fs/promises';
import type { AuditConfig } from '../checks/types.js';
import { UsageError } from '../errors.js';

const PORT_ENTRY = /^\d{1,5}(\/(tcp|udp|sctp))?$/;

export async function loadAuditConfig(
  path: string | undefined,
  flags: { services: string[]; ports: string[] },
): Promise<AuditConfig> {
  const fromFile = path ? parseAuditConfig(await readJson(path), path) : { allowPublished: { services: [], ports: [] } };
  const config: AuditConfig = {
    allowPublished: {
      services: [...fromFile.allowPublished.services, ...flags.services],
      ports: [...fromFile.allowPublished.ports, ...flags.ports],
    },
  };
  for (const port of config.allowPublished.ports) {
    if (!PORT_ENTRY.test(port)) throw new UsageError(`allowed port "${port}" must look like 8080 or 8080/tcp`, 'ConfigInvalid');
  }
  return config;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file ${path}: ${(err as Error).message}`, 'ConfigInvalid', { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(err as Error).message}`, 'ConfigInvalid');
  }
}

export function parseAuditConfig(value: unknown, source: string): AuditConfig {
  const root = asObject(value, source, '$');
  rejectUnknown(root, ['allowPublished'], source, '$');
  const allow = root.allowPublished === undefined ? {} : asObject(root.allowPublished, source, '$.allowPublished');
  rejectUnknown(allow, ['services', 'ports'], source, '$.allowPublished');
  return {
    allowPublished: {
      services: stringList(allow.services, source, '$.allowPublished.services'),
      ports: stringList(allow.ports, source, '$.allowPublished.ports').map(String),
    },
  };
}

function asObject(value: unknown, source: string, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${source}: ${path} must be an object`, 'ConfigInvalid');
  }
  return value as Record<string, unknown>;
}

function rejectUnknown(obj: Record<string, unknown>, known: string[], source: string, path: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new UsageError(`${source}: ${path}.${key}: unknown field`, 'ConfigInvalid');
  }
}

function stringList(value: unknown, source: string, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw new UsageError(`${source}: ${path} must be a list of strings`, 'ConfigInvalid');
  }
  return value.map(String);
}
