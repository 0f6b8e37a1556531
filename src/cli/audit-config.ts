/**
 * The optional audit configuration file (JSON): options per check id, each
 * validated with the JSON Schema its check declares (`optionsSchema`):
 *   { "checks": { "swarm-published-ports": { "allowServices": ["edge-proxy"], "allowPorts": ["443/tcp", "80"] } } }
 * The flags --allow-published-service / --allow-published-port add to that
 * check's lists. The first format, { "allowPublished": { "services": [...],
 * "ports": [...] } }, is still read and translated, with a deprecation warning.
 * An unknown check id or an invalid option is a usage error naming its JSON path.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { checkRegistry, type CheckRegistry } from '../checks/registry.js';
import type { AuditConfig, Check, CheckOptions } from '../checks/types.js';
import { UsageError } from '../errors.js';

const PUBLISHED_PORTS = 'swarm-published-ports';

/** The published-port allowlist as the flags give it. */
export interface AllowPublishedFlags {
  services: string[];
  ports: string[];
}

export interface AuditConfigSources {
  /** Told once per deprecated form found (the CLI prints it on stderr). */
  warn: (message: string) => void;
  /** The checks whose options may be set; default: every shipped check. */
  checks?: readonly Check[];
}

/** What the audit-running commands (audit, remediate, collect) take from their flags. */
export interface CheckSelectionArgs {
  checks?: string[];
  config?: string;
  allowPublishedService: string[];
  allowPublishedPort: string[];
}

/**
 * The checks a command runs (--checks, from the context's registry or the
 * shipped one) and their options (--config and the allowlist flags), checked
 * before any AWS call.
 */
export async function checksAndConfig(
  ctx: { stderr: { write(text: string): unknown }; checks?: CheckRegistry },
  args: CheckSelectionArgs,
): Promise<{ checks: Check[]; config: AuditConfig }> {
  const registry = ctx.checks ?? checkRegistry;
  const checks = registry.select(args.checks);
  const flags = { services: args.allowPublishedService, ports: args.allowPublishedPort };
  const config = await loadAuditConfig(args.config, flags, { warn: warnOnStderr(ctx), checks: registry.all });
  return { checks, config };
}

/** The CLI's warning line on stderr (stdout carries only the report). */
function warnOnStderr(ctx: { stderr: { write(text: string): unknown } }): (message: string) => void {
  return (message) => void ctx.stderr.write(`swarm-audit: warning: ${message}\n`);
}

export async function loadAuditConfig(
  path: string | undefined,
  flags: AllowPublishedFlags,
  sources: AuditConfigSources,
): Promise<AuditConfig> {
  const checks = sources.checks ?? checkRegistry.all;
  const fromFile = path === undefined ? {} : translateDeprecated(await readJson(path), path, sources.warn);
  const merged = withFlags(fromFile, flags);
  return parseAuditConfig(merged, path === undefined ? 'flags' : `config file ${path}`, checks);
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** { allowPublished: {services, ports} } -> { checks: { swarm-published-ports: {allowServices, allowPorts} } }; anything else unchanged. */
function translateDeprecated(value: unknown, path: string, warn: (message: string) => void): unknown {
  if (!isObject(value) || !('allowPublished' in value)) return value;
  const { allowPublished, ...rest } = value;
  if (!isObject(allowPublished)) return value; // left for the schema to refuse with its path
  warn(
    `config file ${path}: "allowPublished" is deprecated; write it as ` +
      `{"checks":{"${PUBLISHED_PORTS}":{"allowServices":[...],"allowPorts":[...]}}}`,
  );
  const { services, ports, ...unknown } = allowPublished;
  const options: Record<string, unknown> = { ...unknown };
  if (services !== undefined) options['allowServices'] = services;
  // the first format took numbers too: 443 meant "443"
  if (ports !== undefined) options['allowPorts'] = Array.isArray(ports) ? (ports as unknown[]).map((p) => (typeof p === 'number' ? String(p) : p)) : ports;
  const checks = isObject(rest['checks']) ? rest['checks'] : {};
  if (PUBLISHED_PORTS in checks) {
    throw new UsageError(`config file ${path}: give the published-port allowlist once, in $.checks["${PUBLISHED_PORTS}"], not also in $.allowPublished`, 'ConfigInvalid');
  }
  return { ...rest, checks: { ...checks, [PUBLISHED_PORTS]: options } };
}

function withFlags(config: unknown, flags: AllowPublishedFlags): unknown {
  if (flags.services.length === 0 && flags.ports.length === 0) return config;
  if (!isObject(config)) return config;
  const checks = isObject(config['checks']) ? config['checks'] : {};
  const current = isObject(checks[PUBLISHED_PORTS]) ? checks[PUBLISHED_PORTS] : {};
  const list = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);
  const options = {
    ...current,
    ...(flags.services.length ? { allowServices: [...list(current['allowServices']), ...flags.services] } : {}),
    ...(flags.ports.length ? { allowPorts: [...list(current['allowPorts']), ...flags.ports] } : {}),
  };
  return { ...config, checks: { ...checks, [PUBLISHED_PORTS]: options } };
}

/** The schema of the whole file: checks.<id> is that check's optionsSchema; a check without one takes no options. */
export function auditConfigSchema(checks: readonly Check[]): Record<string, unknown> {
  const noOptions = { type: 'object', additionalProperties: false, properties: {} };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'swarm-audit configuration',
    type: 'object',
    additionalProperties: false,
    properties: {
      checks: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(checks.map((check) => [check.meta.id, check.optionsSchema ?? noOptions])),
      },
    },
  };
}

/** Validates a parsed config against the checks' schemas; `source` names it in the error. */
export function parseAuditConfig(value: unknown, source: string, checks: readonly Check[] = checkRegistry.all): AuditConfig {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(auditConfigSchema(checks));
  if (!validate(value)) {
    const known = checks.map((check) => check.meta.id);
    const problems = [...new Set((validate.errors ?? []).map((error) => describeError(error, known)))];
    throw new UsageError(`${source}: ${problems.join('; ')}`, 'ConfigInvalid');
  }
  const checksPart = (value as { checks?: Record<string, CheckOptions> }).checks ?? {};
  return { checks: checksPart };
}

/** "/checks/swarm-published-ports/allowPorts/0" -> '$.checks["swarm-published-ports"].allowPorts[0]' */
function jsonPath(pointer: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  return segments.reduce((path, segment) => {
    if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
    if (/^[A-Za-z_$][\w$]*$/.test(segment)) return `${path}.${segment}`;
    return `${path}[${JSON.stringify(segment)}]`;
  }, '$');
}

function describeError(error: ErrorObject, knownChecks: string[]): string {
  if (error.keyword === 'additionalProperties') {
    const name = (error.params as { additionalProperty: string }).additionalProperty;
    const path = jsonPath(`${error.instancePath}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`);
    if (error.instancePath === '/checks') return `${path}: unknown check (known: ${knownChecks.join(', ')})`;
    return error.instancePath === '' ? `${path}: unknown field (known: checks)` : `${path}: unknown option`;
  }
  return `${jsonPath(error.instancePath)}: ${error.message ?? 'is invalid'}`;
}
