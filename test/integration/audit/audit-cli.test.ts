/**
 * The product end to end: `swarm-audit audit` (the compiled CLI, real SDK
 * clients) against the sandbox's local AWS endpoint and a real multi-node
 * Swarm built from the shipped default spec (own prefix and subnet), as an
 * operator would run it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import type { Finding, Status } from '../../../src/checks/types.js';
import type { AuditReport, InstanceReport } from '../../../src/engine/report-model.js';
import { sandboxDown, sandboxUp, type SandboxSpec, type SandboxState } from '../../../packages/sandbox/src/swarm/index.js';
import { REPO, runCli as runSwarmAudit, SANDBOX_CREDENTIALS, type CliRun } from '../cli-runner.js';
import { canRunSandbox } from '../remediation/helpers.js';

const DIR = '/tmp/swt-audit-it';
const DEFAULT_SPEC = JSON.parse(readFileSync(`${REPO}/packages/sandbox/src/specs/default.json`, 'utf8')) as SandboxSpec;
const SPEC: SandboxSpec = {
  ...DEFAULT_SPEC,
  prefix: 'swt',
  subnet: '10.77.30.0/24',
  // the staging cluster's security group allows no ESP: remediate must see it (the audit does not read security groups)
  clusters: (DEFAULT_SPEC.clusters ?? []).map((c) => (c.name === 'staging' ? { ...c, espAllowed: false } : c)),
};

/** The CLI with sandbox credentials, every AWS call sent to `endpointUrl`. */
function runCli(args: string[], endpointUrl: string): Promise<CliRun> {
  return runSwarmAudit(args, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: endpointUrl });
}

const maybe = canRunSandbox() ? describe : describe.skip;

maybe('swarm-audit audit on the default sandbox fleet (real SDK, real Swarm)', () => {
  let state: SandboxState;
  let run: CliRun;
  let report: AuditReport;

  const nodeIp = (name: string) => state.nodes.find((n) => n.name === name)!.address;
  const instanceOf = (name: string): InstanceReport => report.instances.find((i) => i.name === name)!;
  const resultsFor = (name: string, checkId?: string): Finding[] =>
    report.results.filter((r) => r.instanceId === instanceOf(name).instanceId && (!checkId || r.checkId === checkId));
  const statusOf = (name: string, checkId: string, resourceName: string): Status | undefined =>
    resultsFor(name, checkId).find((r) => r.resource.name === resourceName)?.status;
  const listener = (name: string, port: string) => resultsFor(name, 'swarm-listen-address').find((r) => r.resource.name?.startsWith(`listener ${port} `) || r.resource.id.includes(port));

  beforeAll(async () => {
    if (!existsSync(`${REPO}/dist/src/cli/main.js`)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    await sandboxDown({ dir: DIR });
    state = await sandboxUp({ spec: SPEC, dir: DIR });
    console.log(`sandbox up (default spec, prefix swt) in ${state.timings.totalMs} ms`);
    const started = Date.now();
    run = await runCli(['audit', '--tag-key', 'Swarm', '--output', 'json', '--timeout', '40', '--log-level', 'info'], state.endpoint!.url);
    console.log(`audit CLI exited ${run.code} in ${Date.now() - started} ms`);
    report = JSON.parse(run.stdout) as AuditReport;
  }, 240_000);

  afterAll(async () => {
    await sandboxDown({ dir: DIR });
  }, 120_000);

  test('stdout carries only the JSON report, logs go to stderr as JSON, exit code 1 for failing findings', () => {
    expect(run.code).toBe(1);
    expect(report.schemaVersion).toBe('1.0');
    expect(Date.parse(report.finishedAt)).toBeGreaterThanOrEqual(Date.parse(report.startedAt));
    // every stderr line is a JSON log record, the SDK's process warnings included (bin/swarm-audit.js)
    const logLines = run.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(() => JSON.parse(line)).not.toThrow();
    for (const status of ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE'] as Status[]) {
      expect(report.summary[status]).toBe(report.results.filter((r) => r.status === status).length);
    }
  });

  test('every tagged instance is reported once; the untagged one is not discovered', () => {
    const names = report.instances.map((i) => i.name).sort();
    expect(names).toEqual(['agent-offline', 'docker-stopped', 'manager-1', 'manager-2', 'staging-manager', 'staging-worker', 'swarm-inactive', 'worker-1']);
    expect(report.summary.instances).toBe(8);
    expect(instanceOf('manager-1')).toMatchObject({ reachable: true, privateIp: nodeIp('manager-1'), swarm: { state: 'active', role: 'manager', nodeAddr: nodeIp('manager-1') } });
    expect(instanceOf('manager-1').engineVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('a manager bound with --listen-addr passes on 2377 and 7946 tcp/udp; 4789 is information only', () => {
    for (const port of ['2377/tcp', '7946/tcp', '7946/udp']) {
      const r = listener('manager-1', port)!;
      expect(r.status).toBe('PASS');
      expect(r.message).toContain(nodeIp('manager-1'));
    }
    expect(listener('manager-1', '4789/udp')!.message).toMatch(/Information only/);
  });

  test('a manager and a worker joined without --listen-addr fail on the wildcard listeners', () => {
    expect(listener('manager-2', '2377/tcp')!.status).toBe('FAIL');
    expect(listener('worker-1', '7946/tcp')!.status).toBe('FAIL');
    expect(listener('worker-1', '7946/udp')!.status).toBe('FAIL');
    expect(listener('worker-1', '7946/tcp')!.message).toContain(`--listen-addr ${nodeIp('worker-1')}`);
    expect(resultsFor('worker-1', 'swarm-listen-address').some((r) => r.resource.id.includes('2377'))).toBe(false);
  });

  test('cluster checks run once per cluster from one manager; workers get node checks only', () => {
    const prodId = instanceOf('manager-1').swarm!.clusterId!;
    const stagingId = instanceOf('staging-manager').swarm!.clusterId!;
    expect(prodId).toBeTruthy();
    expect(stagingId).toBeTruthy();
    expect(prodId).not.toBe(stagingId);
    expect(report.summary.clusters).toBe(2);
    expect(instanceOf('worker-1').swarm!.clusterId).toBe(prodId);
    expect(instanceOf('staging-worker').swarm!.clusterId).toBe(stagingId);
    const ingressResults = report.results.filter((r) => r.checkId === 'overlay-encryption' && r.resource.name === 'ingress');
    expect(ingressResults.map((r) => r.clusterId).sort()).toEqual([prodId, stagingId].sort());
    for (const worker of ['worker-1', 'staging-worker']) {
      expect(resultsFor(worker).every((r) => r.checkId === 'swarm-listen-address')).toBe(true);
    }
  });

  test('overlay encryption: absent key FAILs, present key (even "false") is not FAIL, ingress explains its downtime', () => {
    const prodManager = report.results.filter((r) => r.checkId === 'overlay-encryption' && r.clusterId === instanceOf('manager-1').swarm!.clusterId);
    const byName = (n: string) => prodManager.find((r) => r.resource.name === n)!;
    expect(byName('prod-plain').status).toBe('FAIL');
    expect(byName('prod-plain').message).toMatch(/no "encrypted" key/);
    for (const encrypted of ['prod-secure', 'prod-legacy']) {
      // PASS where IPsec works; WARN with the cause where this kernel cannot install SAs
      expect(['PASS', 'WARN']).toContain(byName(encrypted).status);
      if (byName(encrypted).status === 'WARN') expect(byName(encrypted).message).toMatch(/IPsec/);
    }
    expect(byName('prod-legacy').status).toBe(byName('prod-secure').status);
    expect(byName('ingress').status).toBe('FAIL');
    expect(byName('ingress').message).toMatch(/downtime/);
    expect(statusOf('staging-manager', 'overlay-encryption', 'staging-net')).toBe('FAIL');
  });

  test('published ports: ingress mode FAILs, host mode WARNs, a service without ports PASSes', () => {
    const ports = report.results.filter((r) => r.checkId === 'swarm-published-ports');
    expect(ports.find((r) => r.resource.name === 'web')).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/ingress mode/) });
    expect(ports.find((r) => r.resource.name === 'metrics')).toMatchObject({ status: 'WARN', message: expect.stringMatching(/host mode/) });
    expect(ports.find((r) => r.resource.name === 'api')).toMatchObject({ status: 'PASS' });
  });

  test('instances that cannot be audited end as ERROR or NOT_APPLICABLE with the cause, never dropped', () => {
    const checks = ['swarm-listen-address', 'swarm-published-ports', 'overlay-encryption'];
    const expectAll = (name: string, status: Status, cause: RegExp) => {
      const results = resultsFor(name);
      expect(results.map((r) => r.checkId).sort()).toEqual([...checks].sort());
      for (const r of results) expect(r).toMatchObject({ status, message: expect.stringMatching(cause) });
      expect(instanceOf(name).error).toMatch(cause);
    };
    expectAll('docker-stopped', 'ERROR', /docker daemon not reachable/);
    expectAll('swarm-inactive', 'NOT_APPLICABLE', /swarm inactive/);
    expectAll('agent-offline', 'ERROR', /deadline of 40 s expired/);
  });

  test('a tag value filter and --checks narrow the run to one cluster and one check', async () => {
    const staging = await runCli(['audit', '--tag', 'Swarm=staging', '--checks', 'overlay-encryption', '--output', 'json', '--timeout', '40'], state.endpoint!.url);
    expect(staging.code).toBe(1);
    const narrowed = JSON.parse(staging.stdout) as AuditReport;
    expect(narrowed.instances.map((i) => i.name).sort()).toEqual(['staging-manager', 'staging-worker']);
    expect(new Set(narrowed.results.map((r) => r.checkId))).toEqual(new Set(['overlay-encryption']));
    expect(narrowed.results.map((r) => `${r.resource.name}:${r.status}`).sort()).toEqual(['ingress:FAIL', 'staging-net:FAIL']);
  }, 60_000);

  test('--publish-compliance records the results in SSM Compliance, read back with the AWS CLI', async () => {
    const run = await runCli(['audit', '--tag', 'Swarm=staging', '--publish-compliance', '--output', 'json', '--timeout', '40'], state.endpoint!.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/"published":2,"failed":0/);
    const managerId = instanceOf('staging-manager').instanceId;
    const { stdout } = await promisify(execFile)(
      '/usr/bin/aws',
      ['--endpoint-url', state.endpoint!.url, '--region', 'us-east-1', '--output', 'json', 'ssm', 'list-compliance-items',
        '--resource-ids', managerId, '--resource-types', 'ManagedInstance', '--filters', 'Key=ComplianceType,Values=Custom:SwarmAudit,Type=EQUAL'],
      { env: { PATH: '/usr/bin:/bin', AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' } },
    );
    const items = (JSON.parse(stdout) as { ComplianceItems: { Id: string; Title?: string; Status: string; Severity: string; Details: Record<string, string> }[] }).ComplianceItems;
    const stagingNet = items.find((i) => i.Details.Resource?.startsWith('network/') && i.Title?.includes('staging-net'));
    expect(stagingNet).toMatchObject({ Status: 'NON_COMPLIANT', Severity: 'HIGH', Details: { CheckId: 'overlay-encryption', Result: 'FAIL' } });
    const bound = items.filter((i) => i.Details.CheckId === 'swarm-listen-address' && i.Details.Result === 'PASS');
    expect(bound.length).toBeGreaterThan(0);
    expect(bound.every((i) => i.Status === 'COMPLIANT')).toBe(true);
  }, 90_000);

  test('remediate --apply refuses encryption where security groups allow no ESP, and changes nothing', async () => {
    const journal = `${DIR}/staging-journal.jsonl`;
    const refused = await runCli(
      ['remediate', '--tag', 'Swarm=staging', '--checks', 'overlay-encryption', '--apply', '--yes', '--journal', journal, '--timeout', '40'],
      state.endpoint!.url,
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/IpsecNotWorking: .*\(staging-manager\): its security groups allow no ESP/);
    expect(refused.stderr).toMatch(/\(staging-worker\): its security groups allow no ESP/);
    expect(existsSync(journal)).toBe(false);
    const after = JSON.parse((await runCli(['audit', '--tag', 'Swarm=staging', '--output', 'json', '--timeout', '40'], state.endpoint!.url)).stdout) as AuditReport;
    expect(after.results.find((r) => r.resource.name === 'staging-net')?.status).toBe('FAIL');
  }, 90_000);

  test('every AWS operation these CLI runs made is allowed by the IAM policy examples in documents/', async () => {
    const stats = (await (await fetch(`${state.endpoint!.url}/_sandbox/stats`)).json()) as { requests: Record<string, number> };
    const ec2Operations = new Set(['DescribeInstances', 'DescribeSecurityGroups']);
    const called = Object.keys(stats.requests)
      .filter((op) => op !== 'ListComplianceItems') // the test's own read-back with the AWS CLI
      .map((op) => `${ec2Operations.has(op) ? 'ec2' : 'ssm'}:${op}`);
    const allowed = new Set(
      ['iam-audit-policy.json', 'iam-remediate-policy.json'].flatMap((file) =>
        (JSON.parse(readFileSync(`${REPO}/documents/${file}`, 'utf8')) as { Statement: { Action: string | string[] }[] }).Statement.flatMap((st) => st.Action),
      ),
    );
    expect(called).toEqual(expect.arrayContaining(['ec2:DescribeInstances', 'ssm:SendCommand', 'ssm:PutComplianceItems', 'ec2:DescribeSecurityGroups']));
    expect(called.filter((op) => !allowed.has(op))).toEqual([]);
  });
});

describe('swarm-audit CLI usage errors', () => {
  test('bad flags exit 3 with a one-line cause before any AWS call', async () => {
    const bad = await runCli(['audit', '--tag', 'no-equals-sign', '--output', 'json'], 'http://127.0.0.1:9');
    expect(bad.code).toBe(3);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--tag/);
  });
});
