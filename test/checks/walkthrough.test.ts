/**
 * README "Adding a check", done for real: a sample check is written as a
 * module in a fresh folder (index.ts with meta, reads, optionsSchema and
 * evaluate, and its README), registered with one line, and must then be
 * picked up by the config schema, the engine, the reports, `swarm-audit
 * checks` and the documentation check, with no other file of the repository
 * touched.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAuditConfig } from '../../src/cli/audit-config.js';
import { main } from '../../src/cli/main.js';
import { allChecks, createRegistry, type CheckRegistry } from '../../src/checks/registry.js';
import type { Check } from '../../src/checks/types.js';
import { evaluateFleet } from '../../src/engine/evaluate.js';
import type { AuditReport } from '../../src/engine/report-model.js';
import { formatReport } from '../../src/report/index.js';
import { captureContext } from '../cli/helpers/capture-context.js';
import { documentationProblems } from './docs-check.js';
import { instance, loadFacts } from './harness.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const TMP_AREA = join(HERE, '..', '.tmp');
const SAMPLE_ID = 'swarm-manager-quorum';

/** The sample check as its author would write it: imports from src/ only, no other file changed. */
function sampleSource(srcChecks: string): string {
  return `/**
 * Raft needs a majority of managers: an even count adds no fault tolerance,
 * and fewer than minManagers tolerates no (or too few) manager losses.
 */
import type { ClusterCheck, ClusterCheckContext, CheckResult } from '${srcChecks}/types.js';

type QuorumOptions = { minManagers: number };

export const swarmManagerQuorum: ClusterCheck<QuorumOptions> = {
  meta: {
    id: '${SAMPLE_ID}',
    title: 'Swarm clusters have an odd number of managers, at least minManagers',
    severity: 'medium',
    scope: 'cluster',
    description: 'Raft keeps a cluster manageable while a majority of its managers is up: 3 managers survive the loss of 1, 4 managers still only 1.',
    reads: ['nodes'],
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { minManagers: { type: 'integer', minimum: 1, description: 'fewest managers accepted' } },
  },
  defaultOptions: { minManagers: 3 },
  evaluateCluster({ clusterId, manager, options }: ClusterCheckContext<QuorumOptions>): CheckResult[] {
    const managers = (manager.facts.nodes ?? []).filter((node) => node.role === 'manager').length;
    const resource = { type: 'cluster' as const, id: clusterId };
    const evidence = { managers, minManagers: options.minManagers };
    if (managers < options.minManagers) {
      return [{ status: 'FAIL', resource, evidence, message: \`\${managers} manager(s), fewer than \${options.minManagers}\` }];
    }
    if (managers % 2 === 0) return [{ status: 'WARN', resource, evidence, message: \`\${managers} managers: an even count adds no fault tolerance\` }];
    return [{ status: 'PASS', resource, evidence, message: \`\${managers} managers, a majority survives \${(managers - 1) / 2} loss(es)\` }];
  },
};
`;
}

const SAMPLE_README = `# ${SAMPLE_ID}

Scope: cluster. Severity: medium. Remediable: no.
Reads: \`nodes\` (the manager's node list).

FAIL below \`minManagers\` managers (default 3), WARN for an even count, else PASS.
`;

let folder: string;
let sample: Check;
let registry: CheckRegistry;

beforeAll(async () => {
  mkdirSync(TMP_AREA, { recursive: true });
  folder = join(mkdtempSync(join(TMP_AREA, 'walkthrough-')), SAMPLE_ID);
  mkdirSync(folder);
  const srcChecks = relative(folder, join(HERE, '..', '..', 'src', 'checks')).split('\\').join('/');
  writeFileSync(join(folder, 'index.ts'), sampleSource(srcChecks));
  writeFileSync(join(folder, 'README.md'), SAMPLE_README);
  // the module is imported as the registry would import it (jest maps ".js" to the .ts source)
  const specifier = `./${relative(HERE, join(folder, 'index.js')).split('\\').join('/')}`;
  const loaded = (await import(specifier)) as { swarmManagerQuorum: Check };
  sample = loaded.swarmManagerQuorum;
  // the one registry line
  registry = createRegistry([...allChecks, sample]);
});

afterAll(() => rmSync(dirname(folder), { recursive: true, force: true }));

const STARTED = new Date('2026-11-23T10:00:00Z');

function audit(config: unknown): AuditReport {
  const hosts = [
    { fixture: 'manager-bound', id: 'i-m1', ip: '10.77.201.11' },
    { fixture: 'manager-wildcard', id: 'i-m2', ip: '10.77.201.12' },
    { fixture: 'worker-bound', id: 'i-w2', ip: '10.77.201.22' },
    { fixture: 'manager-single-cluster-b', id: 'i-b1', ip: '10.77.201.31' },
  ].map(({ fixture, id, ip }) => ({ instance: instance(id, { privateIp: ip }), probe: { ok: true as const, facts: loadFacts(fixture) } }));
  return evaluateFleet({
    hosts,
    checks: registry.all,
    config: parseAuditConfig(config, 'test config', registry.all),
    startedAt: STARTED,
    finishedAt: new Date(STARTED.getTime() + 60_000),
  });
}

const TARGET = { regions: ['eu-west-1'], tagQuery: { tags: [{ key: 'Swarm', values: ['prod'] }], tagKeys: [] } };

describe('adding a check: the walkthrough', () => {
  it('takes two files in the check folder and one registry line', () => {
    expect(readdirSync(folder).sort()).toEqual(['README.md', 'index.ts']);
    expect(registry.all.map((c) => c.meta.id)).toEqual([...allChecks.map((c) => c.meta.id), SAMPLE_ID]);
  });

  it('the engine runs it per cluster with its default options, and with options from the config', () => {
    const byCluster = (report: AuditReport) =>
      Object.fromEntries(report.results.filter((r) => r.checkId === SAMPLE_ID).map((r) => [r.instanceId, [r.status, r.message]]));
    // cluster A has two managers (m1, m2), cluster B one (b1): both below the default of 3
    expect(byCluster(audit({}))).toEqual({
      'i-m1': ['FAIL', '2 manager(s), fewer than 3'],
      'i-b1': ['FAIL', '1 manager(s), fewer than 3'],
    });
    expect(byCluster(audit({ checks: { [SAMPLE_ID]: { minManagers: 1 } } }))).toEqual({
      'i-m1': ['WARN', '2 managers: an even count adds no fault tolerance'],
      'i-b1': ['PASS', '1 managers, a majority survives 0 loss(es)'],
    });
  });

  it('the engine gives it ERROR, without running it, where the node list it reads is missing', () => {
    const report = evaluateFleet({
      hosts: [{ instance: instance('i-m1'), probe: { ok: true, facts: { ...loadFacts('manager-bound'), nodes: undefined } } }],
      checks: [sample],
      config: { checks: {} },
      startedAt: STARTED,
      finishedAt: STARTED,
    });
    expect(report.results.map((r) => [r.status, r.message])).toEqual([['ERROR', 'the probe did not collect node list']]);
  });

  it('its options are validated with its own schema, the error naming the JSON path', () => {
    expect(() => audit({ checks: { [SAMPLE_ID]: { minManagers: 0 } } })).toThrow(`test config: $.checks["${SAMPLE_ID}"].minManagers: must be >= 1`);
    expect(() => audit({ checks: { [SAMPLE_ID]: { quorum: 3 } } })).toThrow(`$.checks["${SAMPLE_ID}"].quorum: unknown option`);
  });

  it('the reports describe it: JSON checks list, SARIF rule (not remediable: no builder), table rows', () => {
    const report = audit({});
    const json = JSON.parse(formatReport('json', report, { target: TARGET }));
    expect(json.checks.find((c: { id: string }) => c.id === SAMPLE_ID)).toEqual({
      id: SAMPLE_ID,
      title: sample.meta.title,
      severity: 'medium',
      scope: 'cluster',
      remediable: false,
      description: sample.meta.description,
    });
    const sarif = JSON.parse(formatReport('sarif', report, { target: TARGET }));
    const rules = sarif.runs[0].tool.driver.rules;
    const rule = rules.find((r: { id: string }) => r.id === SAMPLE_ID);
    expect(rule).toMatchObject({ name: 'SwarmManagerQuorum', shortDescription: { text: sample.meta.title }, properties: { remediable: false } });
    expect(rule.help.text).toContain('swarm-audit does not remediate this check');
    const sampleResults = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === SAMPLE_ID);
    expect(sampleResults).toHaveLength(2);
    for (const result of sampleResults) expect(rules[result.ruleIndex].id).toBe(SAMPLE_ID);
    expect(formatReport('table', report, { target: TARGET })).toContain(SAMPLE_ID);
  });

  it('`swarm-audit checks` lists it, through main() with the registry in the context', async () => {
    const ctx = { ...captureContext(), checks: registry };
    expect(await main(['checks'], ctx)).toBe(0);
    const row = ctx.out().split('\n').find((line) => line.startsWith(SAMPLE_ID));
    expect(row?.split(/\s{2,}/)).toEqual([SAMPLE_ID, '-', 'cluster', 'medium', 'no', sample.meta.title]);
    const json = { ...captureContext(), checks: registry };
    expect(await main(['checks', '--output', 'json'], json)).toBe(0);
    expect(JSON.parse(json.out()).checks.at(-1)).toMatchObject({
      id: SAMPLE_ID,
      remediable: false,
      remediation: 'none',
      reads: ['nodes'],
      options: ['minManagers'],
      probeSections: ['nodes'],
    });
  });

  it('`swarm-audit audit --config` validates its options through main() with the registry in the context, before any AWS call', async () => {
    const config = join(folder, '..', 'config.json');
    writeFileSync(config, JSON.stringify({ checks: { [SAMPLE_ID]: { minManagers: 0 } } }));
    const ctx = { ...captureContext(), checks: registry };
    expect(await main(['audit', '--tag', 'Swarm=prod', '--region', 'eu-west-1', '--checks', SAMPLE_ID, '--config', config], ctx)).toBe(3);
    expect(ctx.err()).toContain(`$.checks["${SAMPLE_ID}"].minManagers: must be >= 1`);
    const shipped = captureContext(); // without the registry line, the same id is unknown
    expect(await main(['audit', '--tag', 'Swarm=prod', '--region', 'eu-west-1', '--checks', SAMPLE_ID], shipped)).toBe(3);
    expect(shipped.err()).toContain(`unknown check "${SAMPLE_ID}"`);
  });

  it('the documentation check passes its folder, and names what is missing when the README is not there', () => {
    const testFile = join(HERE, 'walkthrough.test.ts'); // a real check has test/checks/<id>.test.ts
    expect(documentationProblems(sample, folder, testFile)).toEqual([]);
    rmSync(join(folder, 'README.md'));
    try {
      expect(documentationProblems(sample, folder, testFile)).toEqual([`${SAMPLE_ID}: no README.md in ${folder}`]);
    } finally {
      writeFileSync(join(folder, 'README.md'), SAMPLE_README);
    }
    writeFileSync(join(folder, 'README.md'), SAMPLE_README.replace('Reads: `nodes`', 'Reads: nothing'));
    expect(documentationProblems(sample, folder, testFile)).toEqual([`${SAMPLE_ID}: README.md "Reads:" does not name \`nodes\``]);
    writeFileSync(join(folder, 'README.md'), SAMPLE_README);
  });
});
