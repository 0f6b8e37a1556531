import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { auditConfigSchema, loadAuditConfig, parseAuditConfig } from '../../src/cli/audit-config.js';
import { allChecks } from '../../src/checks/registry.js';
import type { Check } from '../../src/checks/types.js';
import { main } from '../../src/cli/main.js';
import { UsageError } from '../../src/errors.js';
import { captureContext } from './helpers/capture-context.js';

const dir = mkdtempSync(join(tmpdir(), 'swarm-audit-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function configFile(content: unknown): string {
  const path = join(dir, `config-${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const NO_FLAGS: { services: string[]; ports: string[] } = { services: [], ports: [] };

async function load(path: string | undefined, flags = NO_FLAGS) {
  const warnings: string[] = [];
  const config = await loadAuditConfig(path, flags, { warn: (m) => warnings.push(m) });
  return { config, warnings };
}

async function refusal(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(() => undefined, (err: unknown) => err);
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).code).toBe('ConfigInvalid');
  return error as UsageError;
}

describe('audit configuration: options per check', () => {
  it('reads { checks: { <id>: options } } for the check that declares them', async () => {
    const path = configFile({ checks: { 'swarm-published-ports': { allowServices: ['edge'], allowPorts: ['443/tcp', '80'] } } });
    const { config, warnings } = await load(path);
    expect(config.checks['swarm-published-ports']).toEqual({ allowServices: ['edge'], allowPorts: ['443/tcp', '80'] });
    expect(warnings).toEqual([]);
  });

  it('no file and no flags: no options (every check runs with its defaults)', async () => {
    expect((await load(undefined)).config).toEqual({ checks: {} });
  });

  it('adds the --allow-published-* flags to that check\'s lists from the file', async () => {
    const path = configFile({ checks: { 'swarm-published-ports': { allowServices: ['edge'] } } });
    const { config } = await load(path, { services: ['api'], ports: ['8443/tcp'] });
    expect(config.checks['swarm-published-ports']).toEqual({ allowServices: ['edge', 'api'], allowPorts: ['8443/tcp'] });
  });

  it('validates the flags with the check\'s schema too', async () => {
    const error = await refusal(load(undefined, { services: [], ports: ['http'] }));
    expect(error.message).toContain('$.checks["swarm-published-ports"].allowPorts[0]');
    expect(error.message).toContain('must match pattern');
  });

  it('refuses an unknown check id with its JSON path and the known ids', async () => {
    const error = await refusal(load(configFile({ checks: { 'cis-7.9': {} } })));
    expect(error.message).toContain('$.checks["cis-7.9"]: unknown check');
    for (const check of allChecks) expect(error.message).toContain(check.meta.id);
  });

  it('refuses an unknown option, and any option of a check that takes none, with the path', async () => {
    const unknown = await refusal(load(configFile({ checks: { 'swarm-published-ports': { allowHosts: ['x'] } } })));
    expect(unknown.message).toContain('$.checks["swarm-published-ports"].allowHosts: unknown option');
    const none = await refusal(load(configFile({ checks: { 'swarm-listen-address': { strict: true } } })));
    expect(none.message).toContain('$.checks["swarm-listen-address"].strict: unknown option');
  });

  it('refuses an invalid value with its path', async () => {
    const error = await refusal(load(configFile({ checks: { 'swarm-published-ports': { allowServices: 'edge' } } })));
    expect(error.message).toContain('$.checks["swarm-published-ports"].allowServices: must be array');
  });

  it('refuses unknown top-level fields, bad JSON and a missing file, naming the file', async () => {
    const path = configFile({ check: {} });
    expect((await refusal(load(path))).message).toMatch(new RegExp(`config file ${path}: \\$\\.check: unknown field`));
    expect((await refusal(load(configFile('{ nope')))).message).toContain('is not valid JSON');
    expect((await refusal(load(join(dir, 'absent.json')))).message).toContain('cannot read config file');
  });
});

describe('audit configuration: the first format (allowPublished) still works', () => {
  it('translates it to the check\'s options with one deprecation warning; port numbers become strings', async () => {
    const path = configFile({ allowPublished: { services: ['edge'], ports: ['443/tcp', 80] } });
    const { config, warnings } = await load(path, { services: ['api'], ports: [] });
    expect(config.checks['swarm-published-ports']).toEqual({ allowServices: ['edge', 'api'], allowPorts: ['443/tcp', '80'] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"allowPublished" is deprecated');
    expect(warnings[0]).toContain('"checks":{"swarm-published-ports"');
  });

  it('still refuses what the first format refused (bad port, unknown field), naming the path', async () => {
    const port = await refusal(load(configFile({ allowPublished: { ports: ['80/http'] } })));
    expect(port.message).toContain('$.checks["swarm-published-ports"].allowPorts[0]');
    const field = await refusal(load(configFile({ allowPublished: { hosts: [] } })));
    expect(field.message).toContain('hosts: unknown option');
  });

  it('refuses the allowlist given in both forms', async () => {
    const both = { allowPublished: { services: ['a'] }, checks: { 'swarm-published-ports': { allowServices: ['b'] } } };
    expect((await refusal(load(configFile(both)))).message).toContain('give the published-port allowlist once');
  });
});

describe('audit configuration schema', () => {
  it('is built from the checks given, so a registered check\'s options are validated by its own schema', () => {
    const sample = {
      meta: { ...allChecks[0].meta, id: 'sample-check' },
      optionsSchema: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1 } } },
      evaluateNode: () => [],
    } as Check;
    const checks = [...allChecks, sample];
    expect(Object.keys((auditConfigSchema(checks)['properties'] as any).checks.properties)).toContain('sample-check');
    expect(parseAuditConfig({ checks: { 'sample-check': { limit: 3 } } }, 'test', checks).checks['sample-check']).toEqual({ limit: 3 });
    expect(() => parseAuditConfig({ checks: { 'sample-check': { limit: 0 } } }, 'test', checks)).toThrow('$.checks["sample-check"].limit: must be >= 1');
    expect(() => parseAuditConfig({ checks: { 'sample-check': {} } }, 'test')).toThrow('unknown check');
  });
});

describe('swarm-audit audit --config', () => {
  it('exits 3 with the JSON path of an invalid option, before any AWS call', async () => {
    const ctx = captureContext();
    const path = configFile({ checks: { 'swarm-published-ports': { allowPorts: ['eighty'] } } });
    const code = await main(['audit', '--tag', 'Swarm=prod', '--region', 'eu-west-1', '--config', path], ctx);
    expect(code).toBe(3);
    expect(ctx.err()).toContain(`config file ${path}: $.checks["swarm-published-ports"].allowPorts[0]: must match pattern`);
    expect(ctx.out()).toBe('');
  });

  it('prints the deprecation warning of the first format on stderr', async () => {
    const ctx = captureContext();
    const path = configFile({ allowPublished: { services: ['edge'] }, extra: true });
    const code = await main(['audit', '--tag', 'Swarm=prod', '--region', 'eu-west-1', '--config', path], ctx);
    expect(code).toBe(3);
    expect(ctx.err()).toContain('swarm-audit: warning: config file');
    expect(ctx.err()).toContain('$.extra: unknown field');
  });
});
