/**
 * "The audit must never look green when it did not see", end to end: the
 * compiled CLI (real SDK clients) against `swarm-audit sandbox serve --fleet`
 * (a child process too), with instances that run commands in the host
 * namespace (no dockerd, no root needed): a query that matches nothing, an
 * instance in every skipped state, SIGTERM mid-run, an unwritable
 * --output-file. The endpoint's request counters (GET /_sandbox/stats) show
 * what the CLI asked AWS.
 */
import { ListCommandInvocationsCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allChecks } from '../../../src/checks/registry.js';
import type { AuditReport } from '../../../src/engine/report-model.js';
import type { FleetFile, FleetFileInstance } from '../../../packages/sandbox/src/fleet-file-types.js';
import type { EndpointStats } from '../../../packages/sandbox/src/endpoint/stats.js';
import { serveFleet, waitFor, type ServedEndpoint } from '../served-endpoint.js';
import { runCli, SANDBOX_CREDENTIALS, type CliRun } from '../cli-runner.js';

const REGION = 'us-east-1';
const RUNNING = 'i-0b0000000000000a1';
const LOST = 'i-0b0000000000000a2';
const STOPPED = 'i-0b0000000000000a3';
const TERMINATED = 'i-0b0000000000000a4';
const NO_AGENT = 'i-0b0000000000000a5';
const WINDOWS = 'i-0b0000000000000a6';
const FAST = 'i-0b0000000000000b1';
const SLOW_1 = 'i-0b0000000000000b2';
const SLOW_2 = 'i-0b0000000000000b3';
const ONLY_STOPPED = 'i-0b0000000000000c1';
const OFFLINE = 'i-0b0000000000000d1';

/** Commands run with sh in the host namespace; DOCKER_HOST points nowhere, so the probe finds docker down (ERROR) quickly. */
const hostExec = { env: { DOCKER_HOST: 'unix:///nonexistent/swarm-audit-boundaries.sock' } };
const linux = (extra: Partial<NonNullable<FleetFileInstance['agent']>> = {}) => ({ pingStatus: 'Online' as const, platform: 'Linux' as const, ...extra });

const FLEET: FleetFile = {
  accountId: '123456789012',
  region: REGION,
  limits: { minDeliveryTimeoutSeconds: 30, maxConcurrentProcesses: 8 },
  instances: [
    { instanceId: RUNNING, tags: { Swarm: 'mixed', Name: 'running' }, privateIpAddress: '10.9.0.1', agent: linux(), exec: hostExec },
    { instanceId: LOST, tags: { Swarm: 'mixed', Name: 'agent-lost' }, agent: { pingStatus: 'ConnectionLost' }, exec: hostExec },
    { instanceId: STOPPED, state: 'stopped', tags: { Swarm: 'mixed', Name: 'stopped' }, agent: { pingStatus: 'ConnectionLost' } },
    { instanceId: TERMINATED, state: 'terminated', tags: { Swarm: 'mixed', Name: 'terminated' } },
    { instanceId: NO_AGENT, tags: { Swarm: 'mixed', Name: 'no-agent' } },
    { instanceId: WINDOWS, tags: { Swarm: 'mixed', Name: 'windows' }, agent: { pingStatus: 'Online', platform: 'Windows' }, exec: hostExec },
    { instanceId: FAST, tags: { Swarm: 'slow', Name: 'fast' }, agent: linux(), exec: hostExec },
    { instanceId: SLOW_1, tags: { Swarm: 'slow', Name: 'slow-1' }, agent: linux({ behaviour: 'slow', delayMs: 120_000 }), exec: hostExec },
    { instanceId: SLOW_2, tags: { Swarm: 'slow', Name: 'slow-2' }, agent: linux({ behaviour: 'slow', delayMs: 120_000 }), exec: hostExec },
    { instanceId: ONLY_STOPPED, state: 'stopped', tags: { Swarm: 'parked' }, agent: { pingStatus: 'Inactive' } },
    { instanceId: OFFLINE, tags: { Swarm: 'offline', Name: 'never-picks-up' }, agent: linux({ behaviour: 'offline' }), exec: hostExec },
  ],
};

let dir: string;
let served: ServedEndpoint | undefined;
let url: string;

async function stats(): Promise<EndpointStats> {
  return (await (await fetch(`${url}/_sandbox/stats`)).json()) as EndpointStats;
}

const totalRequests = (s: EndpointStats) => Object.values(s.requests).reduce((a, b) => a + b, 0);

const cliEnv = () => ({ AWS_REGION: REGION, AWS_ENDPOINT_URL: url });
const audit = (args: string[]): Promise<CliRun> => runCli(['audit', '--log-level', 'warn', ...args], cliEnv());

beforeAll(async () => {
  served = await serveFleet(FLEET, 'sa-boundaries-');
  ({ url, dir } = served);
}, 60_000);

afterAll(async () => {
  await served?.stop();
});

describe('a query that selects nothing is not a pass', () => {
  it('exits 2 with one line naming the query and the region; --allow-empty gives an empty report and 0', async () => {
    const run = await audit(['--tag', 'Swarm=prdo', '--output', 'json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n').filter((l) => l.startsWith('swarm-audit:'))).toEqual([
      `swarm-audit: NoInstanceMatched: no instance matched tag Swarm=prdo in ${REGION}`,
    ]);

    const allowed = await audit(['--tag', 'Swarm=prdo', '--output', 'json', '--allow-empty']);
    expect(allowed.code).toBe(0);
    const report = JSON.parse(allowed.stdout) as AuditReport;
    expect(report.instances).toEqual([]);
    expect(report.results).toEqual([]);
  }, 60_000);

  it('exits 2 when every matched instance is skipped, saying how many and why; --allow-empty reports them', async () => {
    const run = await audit(['--tag', 'Swarm=parked']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `swarm-audit: NoInstanceAuditable: the 1 instance matching tag Swarm=parked in ${REGION} was skipped, none could be audited: 1 x instance is stopped: nothing runs to audit`,
    );
    const allowed = await audit(['--tag', 'Swarm=parked', '--output', 'json', '--allow-empty']);
    expect(allowed.code).toBe(0);
    const report = JSON.parse(allowed.stdout) as AuditReport;
    expect(report.results.map((r) => [r.instanceId, r.status])).toEqual(allChecks.map(() => [ONLY_STOPPED, 'NOT_APPLICABLE']));
  }, 60_000);

  it("remediate's audit fails the same way before planning anything", async () => {
    const run = await runCli(['remediate', '--tag', 'Swarm=prdo', '--log-level', 'warn'], cliEnv());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`swarm-audit: NoInstanceMatched: no instance matched tag Swarm=prdo in ${REGION}`);
  }, 60_000);

  it('discover fails the same way, and sets SWARM_AUDIT_ALLOW_EMPTY like the flag', async () => {
    const run = await runCli(['discover', '--tag', 'Swarm=prdo', '--log-level', 'warn'], cliEnv());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`swarm-audit: NoInstanceMatched: no instance matched tag Swarm=prdo in ${REGION}`);
    const allowed = await runCli(['discover', '--tag', 'Swarm=prdo', '--output', 'json', '--log-level', 'warn'], { ...cliEnv(), SWARM_AUDIT_ALLOW_EMPTY: 'true' });
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toEqual({ instances: [] });

    // nothing auditable: the list is printed (it is the evidence), then the run fails
    const parked = await runCli(['discover', '--tag', 'Swarm=parked', '--log-level', 'warn'], cliEnv());
    expect(parked.code).toBe(2);
    expect(parked.stdout).toMatch(new RegExp(`${ONLY_STOPPED} .* stopped .*no: instance is stopped: nothing runs to audit`));
    expect(parked.stderr).toContain('swarm-audit: NoInstanceAuditable: the 1 instance matching tag Swarm=parked');
  }, 60_000);
});

describe('every matched instance appears in the report', () => {
  it('stopped and terminated are NOT_APPLICABLE with their state; agent lost, no agent and Windows are ERROR; only the running one is sent the probe', async () => {
    const before = await stats();
    const run = await audit(['--tag', 'Swarm=mixed', '--output', 'json', '--timeout', '60']);
    const after = await stats();
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as AuditReport;
    expect(report.instances.map((i) => i.name).sort()).toEqual(['agent-lost', 'no-agent', 'running', 'stopped', 'terminated', 'windows']);
    expect(report.summary.instances).toBe(6);

    const expected: [string, string, string][] = [
      [STOPPED, 'NOT_APPLICABLE', 'instance is stopped: nothing runs to audit'],
      [TERMINATED, 'NOT_APPLICABLE', 'instance is terminated: nothing runs to audit'],
      [LOST, 'ERROR', 'not audited: SSM agent ConnectionLost'],
      [NO_AGENT, 'ERROR', 'not audited: no SSM agent registered (not a managed instance)'],
      [WINDOWS, 'ERROR', 'not audited: platform Windows not supported'],
    ];
    for (const [instanceId, status, message] of expected) {
      const results = report.results.filter((r) => r.instanceId === instanceId);
      expect(results.map((r) => r.checkId).sort()).toEqual(allChecks.map((c) => c.meta.id).sort());
      for (const r of results) expect(r).toMatchObject({ status, message });
    }
    // the running instance was probed (docker is down there: ERROR naming docker, not a skip)
    expect(report.instances.find((i) => i.instanceId === RUNNING)).toMatchObject({ reachable: true });
    expect(after.invocationsCreated - before.invocationsCreated).toBe(1);
  }, 90_000);
});

describe('SIGTERM mid-run', () => {
  it('cancels the running commands, writes the partial report to stdout and --output-file with the unfinished instances ERROR, exits 2', async () => {
    const outputFile = join(dir, 'partial.json');
    const before = await stats();
    let child: ChildProcess | undefined;
    const run = runCli(
      ['audit', '--tag', 'Swarm=slow', '--output', 'json', '--output-file', outputFile, '--timeout', '300', '--log-level', 'warn'],
      cliEnv(),
      60_000,
      (spawned) => (child = spawned),
    );
    try {
      // mid-run: the probe was sent and the CLI polls while the slow agents hold their invocations InProgress
      await waitFor(async () => {
        const s = await stats();
        const polls = ['ListCommands', 'ListCommandInvocations'].reduce((n, op) => n + (s.requests[op] ?? 0) - (before.requests[op] ?? 0), 0);
        return s.commandsSent > before.commandsSent && polls >= 2 ? true : undefined;
      });
      const signalledAt = Date.now();
      child!.kill('SIGTERM');
      const { code, stdout, stderr } = await run;
      const tookMs = Date.now() - signalledAt;
      console.log(`SIGTERM to exit: ${tookMs} ms`);

      expect(code).toBe(2);
      expect(tookMs).toBeLessThan(10_000);
      const after = await stats();
      expect((after.requests.CancelCommand ?? 0) - (before.requests.CancelCommand ?? 0)).toBeGreaterThanOrEqual(1);

      expect(await readFile(outputFile, 'utf8')).toBe(stdout);
      const report = JSON.parse(stdout) as AuditReport;
      expect(report.instances.map((i) => i.name).sort()).toEqual(['fast', 'slow-1', 'slow-2']);
      for (const id of [SLOW_1, SLOW_2]) {
        const results = report.results.filter((r) => r.instanceId === id);
        expect(results).toHaveLength(allChecks.length);
        for (const r of results) {
          expect(r.status).toBe('ERROR');
          expect(r.message).toMatch(/the run was cancelled by SIGTERM\b.*; cancel requested/);
        }
      }
      // the instance that finished before the signal keeps its own result
      for (const r of report.results.filter((x) => x.instanceId === FAST)) expect(r.message).not.toMatch(/cancelled/);
      expect(stderr).toMatch(/run interrupted: partial report written/);

      // the endpoint ended the cancelled invocations as AWS does: Cancelled, the process never started
      const ssm = new SSMClient({ region: REGION, endpoint: url, credentials: SANDBOX_CREDENTIALS });
      try {
        const listed = await waitFor(async () => {
          const answer = await ssm.send(new ListCommandInvocationsCommand({ Details: true }));
          const slow = (answer.CommandInvocations ?? []).filter((i) => i.InstanceId === SLOW_1 || i.InstanceId === SLOW_2);
          return slow.length === 2 && slow.every((i) => i.Status === 'Cancelled') ? slow : undefined;
        }, 10_000);
        for (const invocation of listed) expect(invocation).toMatchObject({ Status: 'Cancelled', StatusDetails: 'Cancelled' });
      } finally {
        ssm.destroy();
      }
    } finally {
      if (child?.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('--delivery-timeout', () => {
  it('ends an instance whose agent never picks the command up as ERROR after the delivery window, not at --timeout', async () => {
    const startedAt = Date.now();
    const run = await audit(['--tag', 'Swarm=offline', '--delivery-timeout', '30', '--timeout', '300', '--output', 'json']);
    const tookS = (Date.now() - startedAt) / 1000;
    console.log(`offline agent with --delivery-timeout 30: ended after ${tookS.toFixed(1)} s`);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as AuditReport;
    const results = report.results.filter((r) => r.instanceId === OFFLINE);
    expect(results).toHaveLength(allChecks.length);
    for (const r of results) expect(r).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/DeliveryTimedOut/) });
    expect(tookS).toBeLessThan(300);
  }, 120_000);
});

describe('an unwritable --output-file', () => {
  it('exits 3 with the path and the reason before any AWS request', async () => {
    const before = totalRequests(await stats());
    const path = join(dir, 'missing-dir', 'r.json');
    const run = await audit(['--tag', 'Swarm=mixed', '--output-file', path]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`swarm-audit: OutputFileUnwritable: cannot write --output-file ${path}: ENOENT: no such file or directory`);
    expect(run.stdout).toBe('');
    expect(totalRequests(await stats()) - before).toBe(0);
  }, 60_000);
});
