/**
 * Scheduled audits end to end on a real Swarm (the shipped default spec:
 * real dockerds in network namespaces behind the sandbox endpoint), with the
 * compiled CLI and the AWS CLI as an operator would run them: create the
 * probe document, `schedule` (the endpoint then runs the association once on
 * the tagged instances), `collect` from S3, and `audit` the same state
 * through Run Command: the verdicts must be the same.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { AuditReport } from '../../../src/engine/report-model.js';
import { sandboxDown, sandboxUp, type SandboxSpec, type SandboxState } from '../../../packages/sandbox/src/swarm/index.js';
import { REPO, runCli as runSwarmAudit, SANDBOX_CREDENTIALS, type CliRun } from '../cli-runner.js';
import { canRunSandbox } from '../remediation/helpers.js';

const DIR = '/tmp/sws-schedule-it';
const DEFAULT_SPEC = JSON.parse(readFileSync(`${REPO}/packages/sandbox/src/specs/default.json`, 'utf8')) as SandboxSpec;
const SPEC: SandboxSpec = { ...DEFAULT_SPEC, prefix: 'sws', subnet: '10.77.40.0/24' };
const BUCKET = 'swarm-audit-outputs';
const SCHEDULE = ['schedule', '--tag', 'Swarm=prod', '--rate', 'rate(1 day)', '--output-s3-bucket', BUCKET];
const WRITES = ['CreateAssociation', 'UpdateAssociation', 'DeleteAssociation'];

const maybe = canRunSandbox() ? describe : describe.skip;

maybe('schedule -> one State Manager run on the real Swarm -> collect', () => {
  let state: SandboxState;
  const url = () => state.endpoint!.url;
  const cli = (args: string[]): Promise<CliRun> => runSwarmAudit(args, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: url() });
  const stats = async () => ((await (await fetch(`${url()}/_sandbox/stats`)).json()) as { requests: Record<string, number> }).requests;
  const writes = async () => {
    const requests = await stats();
    return WRITES.reduce((n, op) => n + (requests[op] ?? 0), 0);
  };
  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await promisify(execFile)('/usr/bin/aws', ['--endpoint-url', url(), '--region', 'us-east-1', '--output', 'json', ...args], {
      env: { PATH: '/usr/bin:/bin', HOME: DIR, AWS_ACCESS_KEY_ID: SANDBOX_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SANDBOX_CREDENTIALS.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' },
      cwd: REPO,
    });
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  }
  const verdicts = (report: AuditReport) => report.results.map((r) => `${r.checkId} ${r.instanceId} ${r.resource.type}/${r.resource.id} ${r.status}`).sort();

  beforeAll(async () => {
    if (!existsSync(`${REPO}/dist/src/cli/main.js`)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    await sandboxDown({ dir: DIR });
    state = await sandboxUp({ spec: SPEC, dir: DIR });
    console.log(`sandbox up (default spec, prefix sws) in ${state.timings.totalMs} ms`);
    // the README's one-time step: the probe as our own SSM document
    await aws('ssm', 'create-document', '--name', 'swarm-audit-probe', '--document-type', 'Command', '--document-format', 'JSON', '--content', 'file://documents/swarm-audit-probe.json');
  }, 240_000);

  afterAll(async () => {
    await sandboxDown({ dir: DIR });
  }, 120_000);

  test('--dry-run prints the association it would create and makes no write call', async () => {
    const before = await writes();
    const dry = await cli([...SCHEDULE, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^dry run: would create association swarm-audit-Swarm-prod \(nothing written\):\n/);
    expect(JSON.parse(dry.stdout.slice(dry.stdout.indexOf('{')))).toEqual({
      AssociationName: 'swarm-audit-Swarm-prod',
      Name: 'swarm-audit-probe',
      DocumentVersion: '$DEFAULT',
      Targets: [{ Key: 'tag:Swarm', Values: ['prod'] }],
      ScheduleExpression: 'rate(1 day)',
      OutputLocation: { S3Location: { OutputS3BucketName: BUCKET, OutputS3KeyPrefix: 'swarm-audit/swarm-audit-Swarm-prod' } },
      Parameters: {},
    });
    expect(await writes()).toBe(before);
  });

  let associationId: string;

  test('schedule creates the association, which runs the probe once on every tagged managed instance; again it is unchanged', async () => {
    const before = await stats();
    const created = await cli(SCHEDULE);
    const after = await stats();
    expect(created.code).toBe(0);
    const made = Object.keys(after).filter((op) => (after[op] ?? 0) > (before[op] ?? 0));
    expect(made.sort()).toEqual(['CreateAssociation', 'ListAssociations']);
    const policy = JSON.parse(readFileSync(`${REPO}/documents/iam-schedule-policy.json`, 'utf8')) as { Statement: { Action: string | string[] }[] };
    const allowed = new Set(policy.Statement.flatMap((s) => [s.Action].flat()));
    expect(made.filter((op) => !allowed.has(`ssm:${op}`))).toEqual([]);
    const match = /^created association swarm-audit-Swarm-prod \(([0-9a-f-]{36}), version 1\)/.exec(created.stdout);
    expect(match).not.toBeNull();
    associationId = match![1]!;
    const started = Date.now();
    let counts: string;
    for (;;) {
      const executions = (await aws('ssm', 'describe-association-executions', '--association-id', associationId)).AssociationExecutions;
      counts = executions[0]?.ResourceCountByStatus ?? '';
      // every target final but the agent that never picks anything up
      if (/\bPending=1\b/.test(counts) && !/InProgress/.test(counts)) break;
      if (Date.now() - started > 60_000) throw new Error(`the association run did not settle: ${counts}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`association run settled in ${Date.now() - started} ms: ${counts}`);
    const again = await cli(SCHEDULE);
    expect(again.stdout).toMatch(/^unchanged: association swarm-audit-Swarm-prod/);
  }, 120_000);

  let collected: AuditReport;

  test('collect gives the verdicts audit gives on the same Swarm, sends no command, and uses only what the collect IAM example allows', async () => {
    const before = await stats();
    const run = await cli(['collect', '--tag', 'Swarm=prod', '--output', 'json', '--log-level', 'warn']);
    const after = await stats();
    expect(run.code).toBe(1); // FAIL findings, as audit
    collected = JSON.parse(run.stdout) as AuditReport;
    const made = Object.keys(after).filter((op) => (after[op] ?? 0) > (before[op] ?? 0));
    expect(made).not.toContain('SendCommand');
    const iamName = (op: string) => (op === 'ListObjectsV2' ? 's3:ListBucket' : op === 'GetObject' ? 's3:GetObject' : op === 'DescribeInstances' ? `ec2:${op}` : `ssm:${op}`);
    const policy = JSON.parse(readFileSync(`${REPO}/documents/iam-collect-policy.json`, 'utf8')) as { Statement: { Action: string | string[] }[] };
    const allowed = new Set(policy.Statement.flatMap((s) => [s.Action].flat()));
    expect(made.map(iamName).filter((action) => !allowed.has(action))).toEqual([]);
    console.log(`collect made ${made.map((op) => `${op} x${(after[op] ?? 0) - (before[op] ?? 0)}`).join(', ')}`);

    // the same document the association runs, through Run Command
    const audit = await cli(['audit', '--tag', 'Swarm=prod', '--document-name', 'swarm-audit-probe', '--output', 'json', '--timeout', '60', '--delivery-timeout', '30', '--log-level', 'warn']);
    expect(audit.code).toBe(1);
    const audited = JSON.parse(audit.stdout) as AuditReport;
    expect(verdicts(collected)).toEqual(verdicts(audited));
    expect(collected.instances.map((i) => i.name).sort()).toEqual(audited.instances.map((i) => i.name).sort());
    expect(new Set(collected.results.map((r) => r.status))).toEqual(new Set(['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE'].filter((s) => audited.results.some((r) => r.status === s))));
  }, 180_000);

  test('the instance whose agent never ran the association is ERROR with the reason', () => {
    const offline = collected.instances.find((i) => i.name === 'agent-offline')!;
    const results = collected.results.filter((r) => r.instanceId === offline.instanceId);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/no output: the association's run here is still Pending \(execution [0-9a-f-]{36} started /) });
  });

  test('instances without an output where collect looks are ERROR naming the place, never PASS (exit 2)', async () => {
    const run = await cli(['collect', '--tag', 'Swarm=prod', '--bucket', BUCKET, '--prefix', 'nothing-here', '--output', 'json', '--log-level', 'warn']);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as AuditReport;
    const manager = report.instances.find((i) => i.name === 'manager-1')!;
    for (const r of report.results.filter((x) => x.instanceId === manager.instanceId)) {
      expect(r).toMatchObject({ status: 'ERROR', message: expect.stringContaining(`no probe output at s3://${BUCKET}/nothing-here/${manager.instanceId}/${associationId}/`) });
    }
    expect(report.results.filter((r) => r.status === 'PASS' || r.status === 'FAIL' || r.status === 'WARN')).toEqual([]);
  }, 60_000);

  test('schedule --delete removes it; a second delete says there is nothing to delete and exits 0', async () => {
    const deleted = await cli(['schedule', '--tag', 'Swarm=prod', '--delete']);
    expect(deleted).toMatchObject({ code: 0, stdout: expect.stringMatching(/^deleted association swarm-audit-Swarm-prod/) });
    const again = await cli(['schedule', '--tag', 'Swarm=prod', '--delete']);
    expect(again).toMatchObject({ code: 0, stdout: 'no association named swarm-audit-Swarm-prod: nothing to delete\n' });
    const collectNone = await cli(['collect', '--tag', 'Swarm=prod', '--output', 'json']);
    expect(collectNone.code).toBe(3);
    expect(collectNone.stderr).toMatch(/AssociationDoesNotExist: no association named swarm-audit-Swarm-prod/);
  }, 60_000);
});
