/**
 * ASFF and Security Hub end to end: the compiled CLI (real SDK clients)
 * against `swarm-audit sandbox serve --fleet` (a child process), whose
 * instances answer with probe outputs captured from real daemons (no dockerd,
 * no root). The account comes from the endpoint's STS, `--security-hub`
 * imports through BatchImportFindings, and the AWS CLI (botocore: a second,
 * independent client) reads the findings back with GetFindings.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { FleetFile, FleetFileInstance } from '../../../packages/sandbox/src/fleet-file-types.js';
import { startEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import type { EndpointStats } from '../../../packages/sandbox/src/endpoint/stats.js';
import { serveFleet, type ServedEndpoint } from '../served-endpoint.js';
import { REPO, runCli, type CliRun } from '../cli-runner.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const WORKERS = 79;
/** The captured manager of cluster A gives 15 results, each bound worker 3: 15 + 3 x 79 = 252 findings, 3 imports. */
const FINDINGS = 15 + 3 * WORKERS;
const MANAGER = 'i-0c00000000000aaaa';
/** The bound workers' node check only: every result PASSes, so the audit alone exits 0. */
const WORKERS_ONLY = ['--tag', 'Role=worker', '--checks', 'swarm-listen-address'];

const recorded = (scenario: string) => ({
  recorded: { stdout: readFileSync(`${REPO}/test/fixtures/probe/${scenario}.stdout`, 'utf8'), stderr: '', code: 0 },
});
const agent = { pingStatus: 'Online' as const, platform: 'Linux' as const };
const worker = (i: number): FleetFileInstance => ({
  instanceId: `i-0c0000000000${String(i).padStart(5, '0')}`,
  tags: { Swarm: 'hub', Role: 'worker', Name: `worker-${i}` },
  privateIpAddress: '10.77.201.22',
  agent,
  exec: recorded('worker-bound'),
});
const FLEET: FleetFile = {
  accountId: ACCOUNT,
  region: REGION,
  instances: [
    { instanceId: MANAGER, tags: { Swarm: 'hub', Name: 'manager' }, privateIpAddress: '10.77.201.11', agent, exec: recorded('manager-bound') },
    ...Array.from({ length: WORKERS }, (_, i) => worker(i)),
  ],
};

interface Finding {
  Id: string;
  ProductArn: string;
  AwsAccountId: string;
  UpdatedAt: string;
  RecordState: string;
  Compliance: { Status: string };
  Resources: { Id: string }[];
  ProductFields: Record<string, string>;
}

let dir: string;
let served: ServedEndpoint | undefined;
let url: string;

const stats = async (): Promise<EndpointStats> => (await (await fetch(`${url}/_sandbox/stats`)).json()) as EndpointStats;
const count = (s: EndpointStats, op: string) => s.requests[op] ?? 0;
const audit = (args: string[], env: Record<string, string> = { AWS_ENDPOINT_URL: url }): Promise<CliRun> =>
  runCli(['audit', ...(args.includes('--log-level') ? [] : ['--log-level', 'warn']), ...args], { AWS_REGION: REGION, ...env });

/** The AWS CLI with its own credentials against the endpoint. */
async function awsCli(...args: string[]): Promise<any> {
  const { stdout } = await promisify(execFile)('/usr/bin/aws', ['--endpoint-url', url, '--region', REGION, '--output', 'json', ...args], {
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: dir, AWS_ACCESS_KEY_ID: 'AKIDREADER', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

/** Every swarm-audit finding Security Hub holds, read with get-findings (the CLI follows NextToken, 100 a page). */
async function hubFindings(extraFilters: Record<string, unknown> = {}): Promise<Finding[]> {
  const filters = { GeneratorId: [{ Value: 'swarm-audit/', Comparison: 'PREFIX' }], ...extraFilters };
  const out = await awsCli('securityhub', 'get-findings', '--filters', JSON.stringify(filters), '--page-size', '100');
  return out.Findings as Finding[];
}


beforeAll(async () => {
  served = await serveFleet(FLEET, 'sa-security-hub-');
  ({ url, dir } = served);
}, 60_000);

afterAll(async () => {
  await served?.stop();
});

describe('--output asff', () => {
  let asffIds: string[];

  it('takes the account from STS GetCallerIdentity at the endpoint, once, and imports nothing', async () => {
    const before = await stats();
    const run = await audit(['--tag', 'Swarm=hub', '--output', 'asff']);
    const after = await stats();
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout) as Finding[];
    expect(findings).toHaveLength(FINDINGS);
    for (const f of findings) {
      expect(f.AwsAccountId).toBe(ACCOUNT);
      expect(f.ProductArn).toBe(`arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`);
    }
    expect(count(after, 'GetCallerIdentity') - count(before, 'GetCallerIdentity')).toBe(1);
    expect(count(after, 'BatchImportFindings') - count(before, 'BatchImportFindings')).toBe(0);
    asffIds = findings.map((f) => f.Id);
    expect(new Set(asffIds).size).toBe(FINDINGS);
  }, 120_000);

  it('--account-id wins: no STS call', async () => {
    const before = await stats();
    const run = await audit([...WORKERS_ONLY, '--output', 'asff', '--account-id', OTHER_ACCOUNT]);
    const after = await stats();
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Finding[]).every((f) => f.AwsAccountId === OTHER_ACCOUNT)).toBe(true);
    expect(count(after, 'GetCallerIdentity') - count(before, 'GetCallerIdentity')).toBe(0);
  }, 120_000);

  it.each([
    ['AWS_ENDPOINT_URL', (u: string) => [[], { AWS_ENDPOINT_URL: u }] as const],
    ['--endpoint-url', (u: string) => [['--endpoint-url', u], {}] as const],
  ])('--role-arn with %s: AssumeRole goes to the endpoint and the findings are the role account\'s', async (_, how) => {
    const [flags, env] = how(url);
    const before = await stats();
    const run = await audit([...WORKERS_ONLY, '--output', 'asff', '--role-arn', `arn:aws:iam::${OTHER_ACCOUNT}:role/SwarmAudit`, ...flags], { ...env });
    const after = await stats();
    expect(run.code).toBe(0);
    const findings = JSON.parse(run.stdout) as Finding[];
    expect(findings.length).toBe(3 * WORKERS);
    expect(findings.every((f) => f.AwsAccountId === OTHER_ACCOUNT && f.ProductArn.includes(`:${OTHER_ACCOUNT}:product/${OTHER_ACCOUNT}/default`))).toBe(true);
    expect(count(after, 'AssumeRole') - count(before, 'AssumeRole')).toBe(1); // one AssumeRole shared by every client
    // the role ARN names its account (src/scope/plan-scopes.ts): STS is not asked what the ARN already says
    expect(count(after, 'GetCallerIdentity') - count(before, 'GetCallerIdentity')).toBe(0);
  }, 120_000);

  it('resolves the account before the audit: when STS fails, no instance is probed', async () => {
    const broken = await startEndpoint({ fleet: { ...FLEET, faults: { serverErrorRate: { GetCallerIdentity: 1 } } } });
    try {
      const run = await audit(['--tag', 'Swarm=hub', '--output', 'asff'], { AWS_ENDPOINT_URL: broken.url });
      const s = broken.stats();
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(count(s, 'GetCallerIdentity')).toBeGreaterThan(0);
      expect(count(s, 'DescribeInstances') + count(s, 'SendCommand')).toBe(0);
    } finally {
      await broken.close();
    }
  }, 120_000);

  describe('audit --security-hub', () => {
    it('imports every finding in calls of at most 100, with the ids --output asff gives; the AWS CLI reads them back', async () => {
      const before = await stats();
      const run = await audit(['--tag', 'Swarm=hub', '--security-hub', '--output', 'json']);
      const after = await stats();
      expect(run.code).toBe(1);
      expect(count(after, 'BatchImportFindings') - count(before, 'BatchImportFindings')).toBe(Math.ceil(FINDINGS / 100));
      expect(Math.ceil(FINDINGS / 100)).toBe(3);
      const stored = await hubFindings();
      expect(stored.map((f) => f.Id).sort()).toEqual([...asffIds].sort());
      const web = stored.find((f) => f.ProductFields['swarm-audit/checkId'] === 'swarm-published-ports' && f.ProductFields['swarm-audit/status'] === 'FAIL')!;
      expect(web).toMatchObject({ RecordState: 'ACTIVE', Compliance: { Status: 'FAILED' } });
      const active = await hubFindings({ RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] });
      expect(active.length).toBe(stored.filter((f) => f.RecordState === 'ACTIVE').length);
      expect(active.length).toBeLessThan(FINDINGS);
    }, 120_000);

    it('a re-run where the FAIL now passes archives the same finding (PASSED, newer UpdatedAt); nothing is duplicated', async () => {
      const isWeb = (f: Finding) => f.ProductFields['swarm-audit/checkId'] === 'swarm-published-ports' && f.ProductFields['swarm-audit/resourceId'] === webResourceId;
      const beforeRun = await hubFindings();
      const failing = beforeRun.filter((f) => f.ProductFields['swarm-audit/checkId'] === 'swarm-published-ports' && f.ProductFields['swarm-audit/status'] === 'FAIL');
      expect(failing).toHaveLength(1);
      const webResourceId = failing[0].ProductFields['swarm-audit/resourceId'];
      // the service publishing in ingress mode is accepted now: the same (check, resource) PASSes
      const run = await audit(['--tag', 'Swarm=hub', '--security-hub', '--output', 'json', '--allow-published-service', 'web']);
      expect(run.code).toBe(1); // overlay encryption still fails
      const afterRun = await hubFindings();
      expect(afterRun).toHaveLength(FINDINGS);
      const web = afterRun.find(isWeb)!;
      expect(web.Id).toBe(failing[0].Id);
      expect(web).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } });
      expect(Date.parse(web.UpdatedAt)).toBeGreaterThan(Date.parse(failing[0].UpdatedAt));
      const activeIds = (await hubFindings({ RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] })).map((f) => f.Id);
      expect(activeIds).not.toContain(web.Id);
    }, 120_000);

    it('findings Security Hub refuses are reported and the run exits 2, where the same audit alone exits 0', async () => {
      const clean = await audit([...WORKERS_ONLY, '--output', 'json']);
      expect(clean.code).toBe(0);
      // --account-id names an account the credentials are not in: Security Hub refuses each finding
      const run = await audit([...WORKERS_ONLY, '--output', 'json', '--security-hub', '--account-id', OTHER_ACCOUNT, '--log-level', 'info']);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ summary: { PASS: 3 * WORKERS, FAIL: 0, ERROR: 0 } }); // the report stands
      const logs = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const refused = logs.filter((l) => l.msg === 'security hub refused a finding');
      expect(refused).toHaveLength(3 * WORKERS);
      expect(refused[0]).toMatchObject({ errorCode: 'AccessDeniedException', findingId: expect.stringMatching(/^swarm-audit\//) });
      expect(logs.find((l) => l.msg === 'security hub findings imported')).toMatchObject({ imported: 0, failed: 3 * WORKERS, calls: 3 });
    }, 120_000);

    it('an invalid finding among valid ones comes back in FailedFindings to the AWS CLI too; the valid one is imported', async () => {
      const [valid] = await hubFindings({ Id: [{ Value: asffIds[0], Comparison: 'EQUALS' }] });
      const fresh = { ...valid, Id: 'swarm-audit/cli-check/valid' };
      // botocore itself refuses a finding without a required member; a wrong SchemaVersion only the service sees
      const invalid = { ...valid, Id: 'swarm-audit/cli-check/old-schema', SchemaVersion: '2017-01-01' };
      const out = await awsCli('securityhub', 'batch-import-findings', '--findings', JSON.stringify([fresh, invalid]));
      expect(out).toMatchObject({ SuccessCount: 1, FailedCount: 1 });
      expect(out.FailedFindings).toEqual([{ Id: 'swarm-audit/cli-check/old-schema', ErrorCode: 'InvalidInput', ErrorMessage: expect.stringMatching(/SchemaVersion/) }]);
      expect((await hubFindings({ Id: [{ Value: 'swarm-audit/cli-check/', Comparison: 'PREFIX' }] })).map((f) => f.Id)).toEqual(['swarm-audit/cli-check/valid']);
    }, 60_000);
  });
});

test('every AWS operation the CLI made here is allowed by the IAM policy examples in documents/', async () => {
  const service: Record<string, string> = { DescribeInstances: 'ec2', DescribeSecurityGroups: 'ec2', GetCallerIdentity: 'sts', AssumeRole: 'sts', BatchImportFindings: 'securityhub' };
  const called = Object.keys((await stats()).requests)
    .filter((op) => op !== 'GetFindings') // the test's own read-back
    .filter((op) => op !== 'AssumeRole') // made with the caller's credentials, before the role's policy applies (documents/README.md)
    .map((op) => `${service[op] ?? 'ssm'}:${op}`);
  const allowed = new Set(
    ['iam-audit-policy.json', 'iam-remediate-policy.json'].flatMap((file) =>
      (JSON.parse(readFileSync(`${REPO}/documents/${file}`, 'utf8')) as { Statement: { Action: string | string[] }[] }).Statement.flatMap((st) => st.Action),
    ),
  );
  expect(called).toEqual(expect.arrayContaining(['sts:GetCallerIdentity', 'securityhub:BatchImportFindings', 'ssm:SendCommand']));
  expect(called.filter((op) => !allowed.has(op))).toEqual([]);
});
