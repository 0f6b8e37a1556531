/**
 * `audit` through main() with fake AWS: Run Command answers with probe
 * records captured from real Docker (test/fixtures/probe). Exit 1 with the
 * findings on FAIL, 0 when every result passes, 2 when an instance's
 * invocation failed (ERROR), and --report writing two formats at once.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SendCommandCommandInput } from '@aws-sdk/client-ssm';
import { FakeRegion } from '../helpers/fake-aws.js';
import { runCli } from '../helpers/run-cli.js';
import type { InventoryInstance } from '../../fleet/helpers/fake-inventory.js';
import type { InstanceScript } from '../../fleet/helpers/fake-ssm.js';
import { fixture } from '../../probe/frame-builder.js';

const MANAGER = 'i-0a1b2c3d4e5f60001';
const BROKEN = 'i-0a1b2c3d4e5f60002';
const REGION = 'eu-west-1';
const COMMON = ['--tag', 'Swarm=prod', '--region', REGION, '--log-level', 'silent'];

interface JsonReport {
  summary: Record<string, number>;
  results: { checkId: string; status: string; instanceId?: string; resource?: { type: string; id: string; name?: string }; message: string }[];
  instances: { instanceId: string; reachable: boolean; swarm?: { role: string } }[];
}

function region(inventory: InventoryInstance[], run: (id: string) => InstanceScript) {
  return new FakeRegion({ inventory, run });
}

const managerOnly = (): InventoryInstance[] => [{ id: MANAGER, tags: { Swarm: 'prod', Name: 'manager-1' }, ip: '10.77.201.11', agent: { ping: 'Online' } }];

describe('audit', () => {
  it('a manager with unencrypted overlays and an ingress-published port: exit 1, the findings in the JSON, one probe sent', async () => {
    const fake = region(managerOnly(), () => ({ stdout: fixture('manager-bound') }));
    const { code, out, err } = await runCli(['audit', ...COMMON, '--output', 'json'], { [REGION]: fake });
    expect(err).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(out) as JsonReport;
    expect(report.instances).toEqual([expect.objectContaining({ instanceId: MANAGER, reachable: true, swarm: expect.objectContaining({ role: 'manager' }) })]);
    const failed = report.results.filter((r) => r.status === 'FAIL');
    // the fixture's unencrypted overlays (plain, shop_default and the built-in ingress) and web's ingress-published 8080
    expect(failed.map((r) => `${r.checkId} ${r.resource?.name ?? r.resource?.id}`).sort()).toEqual(
      expect.arrayContaining(['overlay-encryption plain', 'overlay-encryption shop_default']),
    );
    expect(failed.some((r) => r.checkId === 'swarm-published-ports' && /8080/.test(r.resource?.id ?? ''))).toBe(true);
    expect(report.summary).toMatchObject({ FAIL: failed.length, ERROR: 0, instances: 1 });
    // exactly one probe, to the one reachable instance, with the shell document
    const sends = fake.ssm.callsOf('SendCommand').map((c) => c.input as SendCommandCommandInput);
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ InstanceIds: [MANAGER], DocumentName: 'AWS-RunShellScript' });
    expect(sends[0].Parameters?.commands?.[0]).toBe('#!/bin/sh');
    expect(fake.runCommandOps()).not.toContain('CancelCommand');
  });

  it('every result PASS (--checks swarm-listen-address on a manager bound to its address): exit 0', async () => {
    const fake = region(managerOnly(), () => ({ stdout: fixture('manager-bound') }));
    const { code, out } = await runCli(['audit', ...COMMON, '--checks', 'swarm-listen-address', '--output', 'json'], { [REGION]: fake });
    const report = JSON.parse(out) as JsonReport;
    expect(report.results.length).toBeGreaterThan(0);
    expect(new Set(report.results.map((r) => r.status))).toEqual(new Set(['PASS']));
    expect(new Set(report.results.map((r) => r.checkId))).toEqual(new Set(['swarm-listen-address']));
    expect(code).toBe(0);
  });

  it('the same fleet with the listen-address check as a table on stdout: a row per result and exit 1 once a FAIL check is included', async () => {
    const fake = region(managerOnly(), () => ({ stdout: fixture('manager-wildcard') }));
    const { code, out } = await runCli(['audit', ...COMMON, '--checks', 'swarm-listen-address', '--no-color'], { [REGION]: fake });
    expect(code).toBe(1);
    expect(out).toMatch(/swarm-listen-address/);
    expect(out).toMatch(/FAIL/);
    expect(out).not.toContain('\u001b[');
  });

  it('an instance whose invocation failed is ERROR with the cause, and the run exits 2 when nothing failed', async () => {
    const inventory: InventoryInstance[] = [...managerOnly(), { id: BROKEN, tags: { Swarm: 'prod', Name: 'manager-2' }, agent: { ping: 'Online' } }];
    const fake = region(inventory, (id) =>
      id === BROKEN ? { final: { status: 'Failed', details: 'Failed', exitCode: 127 }, stderr: 'sh: 1: /var/lib/amazon/ssm/_script.sh: Permission denied\n' } : { stdout: fixture('manager-bound') },
    );
    const { code, out } = await runCli(['audit', ...COMMON, '--checks', 'swarm-listen-address', '--output', 'json'], { [REGION]: fake });
    const report = JSON.parse(out) as JsonReport;
    const broken = report.results.filter((r) => r.instanceId === BROKEN);
    expect(broken).toEqual([expect.objectContaining({ status: 'ERROR', checkId: 'swarm-listen-address' })]);
    expect(broken[0].message).toMatch(/Failed/);
    expect(broken[0].message).toMatch(/Permission denied/);
    expect(report.results.filter((r) => r.instanceId === MANAGER).every((r) => r.status === 'PASS')).toBe(true);
    expect(code).toBe(2);
    // both instances were sent the probe in one command
    expect(fake.ssm.callsOf('SendCommand').flatMap((c) => (c.input as SendCommandCommandInput).InstanceIds)).toEqual(expect.arrayContaining([MANAGER, BROKEN]));
  });

  it('--publish-compliance puts the instance\'s compliance items (the FAIL ones NON_COMPLIANT) in SSM; the report still decides exit 1', async () => {
    const fake = region(managerOnly(), () => ({ stdout: fixture('manager-bound') }));
    const { code } = await runCli(['audit', ...COMMON, '--output', 'json', '--publish-compliance'], { [REGION]: fake });
    expect(code).toBe(1);
    expect(fake.ssm.compliance).toHaveLength(1);
    const put = fake.ssm.compliance[0];
    expect(put).toMatchObject({ ResourceId: MANAGER, ResourceType: 'ManagedInstance', ExecutionSummary: { ExecutionType: 'Command' } });
    expect(put.Items?.some((item) => item.Status === 'NON_COMPLIANT')).toBe(true);
  });

  it('--security-hub names the account with one STS GetCallerIdentity and imports the findings, at least every FAIL, as ASFF of that account', async () => {
    const fake = new FakeRegion({ inventory: managerOnly(), run: () => ({ stdout: fixture('manager-bound') }), accountId: '210987654321' });
    const { code, out } = await runCli(['audit', ...COMMON, '--output', 'json', '--security-hub'], { [REGION]: fake });
    expect(code).toBe(1);
    expect(fake.sts.calls).toBe(1);
    const imported = fake.securityHub.imports.flatMap((i) => i.Findings ?? []);
    const report = JSON.parse(out) as JsonReport;
    expect(imported.length).toBeGreaterThanOrEqual(report.results.filter((r) => r.status === 'FAIL').length);
    for (const finding of imported) {
      expect(finding.AwsAccountId).toBe('210987654321');
      expect(finding.ProductArn).toBe(`arn:aws:securityhub:${REGION}:210987654321:product/210987654321/default`);
    }
  });

  describe('--report', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'swarm-audit-cli-audit-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('writes JSON and SARIF of the same run to their files, nothing on stdout, exit 1', async () => {
      const fake = region(managerOnly(), () => ({ stdout: fixture('manager-bound') }));
      const jsonPath = join(dir, 'report.json');
      const sarifPath = join(dir, 'report.sarif');
      const { code, out } = await runCli(['audit', ...COMMON, '--report', `json=${jsonPath}`, '--report', `sarif=${sarifPath}`], { [REGION]: fake });
      expect(code).toBe(1);
      expect(out).toBe('');
      const json = JSON.parse(await readFile(jsonPath, 'utf8')) as JsonReport;
      const sarif = JSON.parse(await readFile(sarifPath, 'utf8')) as { version: string; runs: { results: { ruleId: string; properties: { status: string } }[] }[] };
      expect(sarif.version).toBe('2.1.0');
      // the same findings in both: SARIF lists the FAIL and WARN results of the JSON, check by check
      const notPassing = json.results.filter((r) => r.status === 'FAIL' || r.status === 'WARN').map((r) => `${r.checkId} ${r.status}`);
      expect(notPassing.length).toBeGreaterThan(0);
      expect(sarif.runs[0].results.map((r) => `${r.ruleId} ${r.properties.status}`).sort()).toEqual(notPassing.sort());
      // one probe for both reports
      expect(fake.ssm.callsOf('SendCommand')).toHaveLength(1);
    });

    it('an unknown format is exit 3 before any AWS client is built', async () => {
      const { code, err, asked } = await runCli(['audit', ...COMMON, '--report', `yaml=${join(dir, 'r.yaml')}`]);
      expect(code).toBe(3);
      expect(err).toMatch(/unknown report format "yaml"/);
      expect(asked).toEqual([]);
    });
  });
});
