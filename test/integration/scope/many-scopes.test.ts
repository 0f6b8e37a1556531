/**
 * Many accounts and regions in one report, end to end: the compiled CLI
 * against `swarm-audit sandbox serve` whose fleet spans 2 accounts x 2
 * regions (instances answer with probe records captured from real daemons,
 * the recorded executor), audited in one run with --accounts-file. Every
 * scope holds the same swarm cluster (same cluster id, same node ids): the
 * report must still show four clusters, one per scope. A third account
 * whose role the sandbox refuses (not in assumableRoles) must be an ERROR
 * scope with AccessDenied, and make the exit code 2.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AuditReport } from '../../../src/engine/report-model.js';
import type { FleetFile, FleetFileInstance } from '../../../packages/sandbox/src/fleet-file-types.js';
import type { EndpointStats } from '../../../packages/sandbox/src/endpoint/stats.js';
import { REPO, runCli } from '../cli-runner.js';
import { serveFleet, type ServedEndpoint } from '../served-endpoint.js';

const ACCOUNTS = ['111111111111', '222222222222'] as const;
const DENIED_ACCOUNT = '333333333333';
const REGIONS = ['eu-west-1', 'us-east-1'] as const;
const WORKERS_PER_SCOPE = 2;
const roleOf = (account: string) => `arn:aws:iam::${account}:role/SwarmAudit`;

const recorded = (scenario: string) => ({
  recorded: { stdout: readFileSync(`${REPO}/test/fixtures/probe/${scenario}.stdout`, 'utf8'), stderr: '', code: 0 },
});
const agent = { pingStatus: 'Online' as const, platform: 'Linux' as const };

/** Scope s (0..3), node n (0 = manager): i-0a<scope><node>, 17 characters. */
const instanceId = (scope: number, node: number) => `i-0a${String(scope).padStart(7, '0')}${String(node).padStart(8, '0')}`;

function scopeInstances(scope: number, accountId: string, region: string): FleetFileInstance[] {
  return Array.from({ length: 1 + WORKERS_PER_SCOPE }, (_, node) => ({
    instanceId: instanceId(scope, node),
    accountId,
    region,
    tags: { Swarm: 'org', Name: node === 0 ? 'manager' : `worker-${node}` },
    privateIpAddress: node === 0 ? '10.77.201.11' : '10.77.201.22',
    agent,
    exec: recorded(node === 0 ? 'manager-bound' : 'worker-bound'),
  }));
}

const SCOPES = ACCOUNTS.flatMap((accountId) => REGIONS.map((region) => ({ accountId, region })));
const FLEET: FleetFile = {
  accountId: '999999999999',
  region: 'eu-west-1',
  // the denied account's role is missing: AssumeRole answers AccessDenied
  assumableRoles: ACCOUNTS.map(roleOf),
  instances: SCOPES.flatMap((scope, index) => scopeInstances(index, scope.accountId, scope.region)),
};

let served: ServedEndpoint | undefined;
let home: string | undefined;
const stats = async (): Promise<EndpointStats> => (await (await fetch(`${served!.url}/_sandbox/stats`)).json()) as EndpointStats;

beforeAll(async () => {
  served = await serveFleet(FLEET, 'sa-many-scopes-');
  home = await mkdtemp(join(tmpdir(), 'sa-many-scopes-home-'));
}, 60_000);

afterAll(async () => {
  await served?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

async function writeAccounts(entries: object[]): Promise<string> {
  const path = join(served!.dir, `accounts-${entries.length}.json`);
  await writeFile(path, JSON.stringify(entries));
  return path;
}

describe('one audit over 2 accounts x 2 regions', () => {
  let report: AuditReport;
  let code: number | null;
  let assumeRoles: number;
  let calls: Record<string, number>;

  beforeAll(async () => {
    const accountsFile = await writeAccounts(ACCOUNTS.map((accountId) => ({ accountId, roleArn: roleOf(accountId), externalId: 'org-audit' })));
    const before = await stats();
    const run = await runCli(
      ['audit', '--tag', 'Swarm=org', '--region', REGIONS.join(','), '--accounts-file', accountsFile, '--output', 'json', '--log-level', 'warn'],
      { AWS_ENDPOINT_URL: served!.url },
    );
    const after = await stats();
    assumeRoles = (after.requests.AssumeRole ?? 0) - (before.requests.AssumeRole ?? 0);
    calls = Object.fromEntries(Object.keys(after.requests).map((op) => [op, (after.requests[op] ?? 0) - (before.requests[op] ?? 0)]).filter(([, n]) => n !== 0));
    // the README's per-scope cost table quotes this line
    console.log(`calls for ${SCOPES.length} scopes of ${1 + WORKERS_PER_SCOPE} instances: ${JSON.stringify(calls)}`);
    code = run.code;
    expect(run.stderr).toBe('');
    report = JSON.parse(run.stdout) as AuditReport;
  }, 180_000);

  it('lists every instance once, with the account and region it lives in', () => {
    const expected = SCOPES.flatMap((scope, index) =>
      Array.from({ length: 1 + WORKERS_PER_SCOPE }, (_, node) => ({ instanceId: instanceId(index, node), ...scope })),
    );
    const listed = report.instances.map(({ instanceId: id, accountId, region }) => ({ instanceId: id, accountId, region }));
    expect(listed).toEqual(expected);
    for (const finding of report.results) {
      const owner = expected.find((e) => e.instanceId === finding.instanceId)!;
      expect({ accountId: finding.accountId, region: finding.region }).toEqual({ accountId: owner.accountId, region: owner.region });
    }
  });

  it('keeps the same swarm cluster apart in each scope: four clusters, each with its own cluster findings', () => {
    expect(report.summary.clusters).toBe(SCOPES.length);
    const clusterIds = new Set(report.instances.map((i) => i.swarm?.clusterId));
    expect(clusterIds.size).toBe(1); // the same Docker cluster id everywhere...
    const clusterFindingScopes = new Set(
      report.results.filter((f) => f.resource.type === 'cluster' || f.resource.type === 'service' || f.resource.type === 'network').map((f) => `${f.accountId}/${f.region}`),
    );
    expect(clusterFindingScopes.size).toBe(SCOPES.length); // ...yet cluster checks ran once per scope
  });

  it('counts per scope, and the scope counts add up to the summary', () => {
    expect(report.scopes!.map(({ accountId, region, status }) => ({ accountId, region, status }))).toEqual(SCOPES.map((s) => ({ ...s, status: 'OK' })));
    for (const scope of report.scopes!) {
      expect(scope.summary.instances).toBe(1 + WORKERS_PER_SCOPE);
      expect(scope.summary.clusters).toBe(1);
      expect(scope.summary.FAIL).toBe(report.results.filter((f) => f.accountId === scope.accountId && f.region === scope.region && f.status === 'FAIL').length);
    }
    for (const key of ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE', 'instances', 'clusters'] as const) {
      expect(report.scopes!.reduce((sum, s) => sum + s.summary[key], 0)).toBe(report.summary[key]);
    }
  });

  it('assumes each role once, for both of its regions, and exits by the findings', () => {
    expect(assumeRoles).toBe(ACCOUNTS.length);
    // per scope: one DescribeInstances page, one DescribeInstanceInformation and one SendCommand (3 instances < 50)
    expect(calls.DescribeInstances).toBe(SCOPES.length);
    expect(calls.DescribeInstanceInformation).toBe(SCOPES.length);
    expect(calls.SendCommand).toBe(SCOPES.length);
    expect(code).toBe(report.summary.FAIL > 0 ? 1 : report.summary.ERROR > 0 ? 2 : 0);
  });
});

it('an account whose role cannot be assumed is an ERROR scope per region with AccessDenied; the others still report; exit 2 without FAIL', async () => {
  // worker-bound and manager-bound hold FAILs (which would win, exit 1): audit only one check that passes on them to see exit 2
  const accountsFile = await writeAccounts([
    { accountId: ACCOUNTS[0], roleArn: roleOf(ACCOUNTS[0]) },
    { accountId: DENIED_ACCOUNT, roleArn: roleOf(DENIED_ACCOUNT), regions: [...REGIONS] },
  ]);
  const run = await runCli(
    ['audit', '--tag', 'Swarm=org', '--region', 'eu-west-1', '--accounts-file', accountsFile, '--output', 'json', '--checks', PASSING_CHECK, '--log-level', 'error'],
    { AWS_ENDPOINT_URL: served!.url },
  );
  const report = JSON.parse(run.stdout) as AuditReport;
  const denied = report.scopes!.filter((s) => s.accountId === DENIED_ACCOUNT);
  expect(denied.map((s) => s.region)).toEqual([...REGIONS]);
  for (const scope of denied) {
    expect(scope.status).toBe('ERROR');
    expect(scope.cause).toMatch(/AccessDenied.*sts:AssumeRole.*333333333333:role\/SwarmAudit/);
    expect(scope.summary.instances).toBe(0);
  }
  const ok = report.scopes!.find((s) => s.accountId === ACCOUNTS[0])!;
  expect(ok).toMatchObject({ region: 'eu-west-1', status: 'OK', summary: { instances: 1 + WORKERS_PER_SCOPE, FAIL: 0 } });
  expect(report.instances.every((i) => i.accountId === ACCOUNTS[0] && i.region === 'eu-west-1')).toBe(true);
  expect(run.stderr).toMatch(/account not audited/);
  expect(run.code).toBe(2);
}, 180_000);

it('bad accounts files and flag combinations are usage errors (exit 3) before any request', async () => {
  const before = await stats();
  const badFile = await writeAccounts([{ accountId: '1234', roleArn: roleOf(ACCOUNTS[0]), regionz: ['eu-west-1'] }]);
  const bad = await runCli(['audit', '--tag', 'Swarm=org', '--region', 'eu-west-1', '--accounts-file', badFile], { AWS_ENDPOINT_URL: served!.url });
  expect(bad.code).toBe(3);
  expect(bad.stderr).toMatch(/AccountsFileInvalid: accounts file .*accounts\[0\]\.regionz: unknown field/);
  expect(bad.stderr).toMatch(/accounts\[0\]\.accountId: must match pattern/);
  const template = await runCli(['audit', '--tag', 'Swarm=org', '--region', 'eu-west-1', '--role-arn-template', 'arn:aws:iam::111111111111:role/X', '--accounts', ACCOUNTS.join(',')], {
    AWS_ENDPOINT_URL: served!.url,
  });
  expect(template.code).toBe(3);
  expect(template.stderr).toMatch(/RoleArnTemplateInvalid: --role-arn-template must contain \{account\}/);
  const after = await stats();
  expect(Object.values(after.requests).reduce((a, b) => a + b, 0)).toBe(Object.values(before.requests).reduce((a, b) => a + b, 0));
}, 60_000);

it('--role-arn-template with --accounts audits the same scopes as the accounts file', async () => {
  const run = await runCli(
    ['audit', '--tag', 'Swarm=org', '--region', 'us-east-1', '--region', 'eu-west-1', '--role-arn-template', 'arn:aws:iam::{account}:role/SwarmAudit', '--accounts', ACCOUNTS.join(','), '--output', 'json', '--log-level', 'warn'],
    { AWS_ENDPOINT_URL: served!.url },
  );
  const report = JSON.parse(run.stdout) as AuditReport;
  expect(report.scopes!.map((s) => `${s.accountId}/${s.region}/${s.status}`)).toEqual(SCOPES.map((s) => `${s.accountId}/${s.region}/OK`));
  expect(report.summary.instances).toBe(SCOPES.length * (1 + WORKERS_PER_SCOPE));
}, 180_000);

it('the AWS CLI sees the regions apart: describe-instances in each region lists only that region\'s instances of the account', async () => {
  const run = promisify(execFile);
  // the account of plain keys is the fleet's: a role session of 111111111111 is what sees that account's instances
  const aws = async (region: string, ...args: string[]) => {
    const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: home!, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };
    const { stdout } = await run('/usr/bin/aws', ['--endpoint-url', served!.url, '--region', region, '--output', 'json', ...args], { env, timeout: 30_000 });
    return JSON.parse(stdout) as Record<string, any>;
  };
  const assumed = await aws('eu-west-1', 'sts', 'assume-role', '--role-arn', roleOf(ACCOUNTS[0]), '--role-session-name', 'cli');
  const creds = assumed.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const asRole = async (region: string) => {
    const env = {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: home!, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
      AWS_ACCESS_KEY_ID: creds.AccessKeyId, AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey, AWS_SESSION_TOKEN: creds.SessionToken,
    };
    const { stdout } = await run('/usr/bin/aws', ['--endpoint-url', served!.url, '--region', region, '--output', 'json', 'ec2', 'describe-instances'], { env, timeout: 30_000 });
    const out = JSON.parse(stdout) as { Reservations: { OwnerId: string; Instances: { InstanceId: string }[] }[] };
    return { ids: out.Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId)).sort(), owners: new Set(out.Reservations.map((r) => r.OwnerId)) };
  };
  const euWest = await asRole('eu-west-1');
  const usEast = await asRole('us-east-1');
  const scopeIds = (index: number) => Array.from({ length: 1 + WORKERS_PER_SCOPE }, (_, node) => instanceId(index, node));
  expect(euWest.ids).toEqual(scopeIds(0));
  expect(usEast.ids).toEqual(scopeIds(1));
  expect([...euWest.owners]).toEqual([ACCOUNTS[0]]);
  const refused = await aws('eu-west-1', 'sts', 'assume-role', '--role-arn', roleOf(DENIED_ACCOUNT), '--role-session-name', 'cli').catch((err: { stderr: string }) => err.stderr);
  expect(refused).toMatch(/AccessDenied/);
}, 60_000);

/** A check whose result on manager-bound / worker-bound is PASS: picked in the test below from a first run. */
const PASSING_CHECK = 'swarm-listen-address';

it('discover takes the same scopes: every instance with its account and region, a refused role named on stderr, exit 2', async () => {
  const accountsFile = await writeAccounts([
    { accountId: ACCOUNTS[1], roleArn: roleOf(ACCOUNTS[1]) },
    { accountId: DENIED_ACCOUNT, roleArn: roleOf(DENIED_ACCOUNT) },
    { accountId: ACCOUNTS[0], roleArn: roleOf(ACCOUNTS[0]), regions: ['us-east-1'] },
  ]);
  const run = await runCli(['discover', '--tag', 'Swarm=org', '--region', REGIONS.join(','), '--accounts-file', accountsFile, '--output', 'json', '--log-level', 'error'], {
    AWS_ENDPOINT_URL: served!.url,
  });
  const listed = JSON.parse(run.stdout) as { instances: { instanceId: string; accountId: string; region: string }[]; scopes: { accountId: string; region: string; status: string }[] };
  const expected = SCOPES.map((scope, index) => ({ ...scope, index }))
    .filter((s) => s.accountId === ACCOUNTS[1] || (s.accountId === ACCOUNTS[0] && s.region === 'us-east-1'))
    .flatMap((s) => Array.from({ length: 1 + WORKERS_PER_SCOPE }, (_, node) => `${s.accountId}/${s.region}/${instanceId(s.index, node)}`));
  expect(listed.instances.map((i) => `${i.accountId}/${i.region}/${i.instanceId}`).sort()).toEqual(expected.sort());
  expect(listed.scopes.filter((s) => s.status === 'ERROR').map((s) => `${s.accountId}/${s.region}`)).toEqual(REGIONS.map((r) => `${DENIED_ACCOUNT}/${r}`));
  expect(run.stderr).toMatch(new RegExp(`scope ${DENIED_ACCOUNT}/eu-west-1 not discovered: cannot assume .*AccessDenied`));
  expect(run.code).toBe(2);
}, 60_000);
