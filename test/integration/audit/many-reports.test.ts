/**
 * One audit, many reports: the compiled CLI against `swarm-audit sandbox
 * serve` (instances answer with probe records captured from real daemons) with
 * five `--report FORMAT=PATH` outputs. The probe is sent once per batch of 50,
 * and every report comes from that one run.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditReport } from '../../../src/engine/report-model.js';
import type { FleetFile, FleetFileInstance } from '../../../packages/sandbox/src/fleet-file-types.js';
import type { EndpointStats } from '../../../packages/sandbox/src/endpoint/stats.js';
import { REPO, runCli } from '../cli-runner.js';
import { serveFleet, type ServedEndpoint } from '../served-endpoint.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const INSTANCES = 80;

const recorded = (scenario: string) => ({
  recorded: { stdout: readFileSync(`${REPO}/test/fixtures/probe/${scenario}.stdout`, 'utf8'), stderr: '', code: 0 },
});
const agent = { pingStatus: 'Online' as const, platform: 'Linux' as const };
const node = (i: number): FleetFileInstance => ({
  instanceId: `i-0d0000000000${String(i).padStart(5, '0')}`,
  tags: { Swarm: 'reports', Name: i === 0 ? 'manager' : `worker-${i}` },
  privateIpAddress: i === 0 ? '10.77.201.11' : '10.77.201.22',
  agent,
  exec: recorded(i === 0 ? 'manager-bound' : 'worker-bound'),
});
const FLEET: FleetFile = { accountId: ACCOUNT, region: REGION, instances: Array.from({ length: INSTANCES }, (_, i) => node(i)) };

let served: ServedEndpoint | undefined;
const stats = async (): Promise<EndpointStats> => (await (await fetch(`${served!.url}/_sandbox/stats`)).json()) as EndpointStats;
const delta = (after: EndpointStats, before: EndpointStats, op: string) => (after.requests[op] ?? 0) - (before.requests[op] ?? 0);

beforeAll(async () => {
  served = await serveFleet(FLEET, 'sa-many-reports-');
}, 60_000);

afterAll(async () => {
  await served?.stop();
});

it('writes five formats from one SSM run: SendCommand once per batch of 50, the account from STS once', async () => {
  const dir = served!.dir;
  const before = await stats();
  const run = await runCli(
    [
      'audit', '--tag', 'Swarm=reports', '--log-level', 'warn',
      '--report', `json=${join(dir, 'r.json')}`,
      '--report', `sarif=${join(dir, 'r.sarif')}`,
      '--report', `junit=${join(dir, 'r.xml')}`,
      '--report', `asff=${join(dir, 'r.asff.json')}`,
      '--report', 'markdown=-',
    ],
    { AWS_REGION: REGION, AWS_ENDPOINT_URL: served!.url },
  );
  const after = await stats();
  expect(run.stderr).toBe('');
  expect([0, 1]).toContain(run.code);

  expect(delta(after, before, 'SendCommand')).toBe(Math.ceil(INSTANCES / 50));
  expect(delta(after, before, 'DescribeInstances')).toBe(1);
  expect(delta(after, before, 'GetCallerIdentity')).toBe(1);

  const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as AuditReport;
  expect(report.instances).toHaveLength(INSTANCES);
  const sarif = JSON.parse(await readFile(join(dir, 'r.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
  expect(sarif.version).toBe('2.1.0');
  const failing = report.results.filter((r) => r.status === 'FAIL' || r.status === 'WARN').length;
  expect(sarif.runs[0].results).toHaveLength(failing);
  const junit = await readFile(join(dir, 'r.xml'), 'utf8');
  expect(junit.match(/<testcase /g)).toHaveLength(report.results.length);
  const asff = JSON.parse(await readFile(join(dir, 'r.asff.json'), 'utf8')) as { AwsAccountId: string }[];
  expect(asff.length).toBeGreaterThan(0);
  expect(new Set(asff.map((f) => f.AwsAccountId))).toEqual(new Set([ACCOUNT]));
  // stdout carries only what --report names: the markdown summary
  expect(run.stdout.startsWith('#')).toBe(true);
  expect(run.stdout).toContain(`${INSTANCES} instances`);
}, 180_000);
