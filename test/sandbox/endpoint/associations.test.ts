/**
 * State Manager on the sandbox endpoint, through the real SDK: an association
 * runs its document on the tagged instances at creation, on UpdateAssociation
 * and on each tick, writes each run's streams where the agent uploads an
 * association's output, and answers Describe/List/Executions/Targets/Delete
 * with AWS's shapes and errors.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  CreateAssociationCommand,
  CreateDocumentCommand,
  DeleteAssociationCommand,
  DescribeAssociationCommand,
  DescribeAssociationExecutionsCommand,
  DescribeAssociationExecutionTargetsCommand,
  ListAssociationsCommand,
  SSMClient,
  UpdateAssociationCommand,
  type AssociationExecution,
} from '@aws-sdk/client-ssm';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import { parseFleetFile } from '../../../packages/sandbox/src/fleet-file.js';

const ONE = 'i-0000000000000a001';
const TWO = 'i-0000000000000a002';
const OFFLINE = 'i-0000000000000a003';
const OTHER = 'i-0000000000000a004';
const CREDENTIALS = { accessKeyId: 'AKIDASSOC', secretAccessKey: 'x' };
const DOCUMENT = JSON.stringify({
  schemaVersion: '2.2',
  description: 'test',
  mainSteps: [{ action: 'aws:runShellScript', name: 'probe', inputs: { runCommand: ['echo hi'] } }],
});

let endpoint: RunningEndpoint;
let ssm: SSMClient;
let s3: S3Client;

async function startWith(limits: Record<string, number> = {}): Promise<void> {
  const agent = { pingStatus: 'Online', platform: 'Linux' };
  const recorded = (stdout: string, code = 0) => ({ recorded: { stdout, stderr: code ? 'boom' : '', code }, runtimeMs: [20, 20] });
  endpoint = await startEndpoint({
    fleet: parseFleetFile({
      accountId: '123456789012',
      region: 'us-east-1',
      limits,
      instances: [
        { instanceId: ONE, tags: { Swarm: 'prod' }, agent, exec: recorded('out-one') },
        { instanceId: TWO, tags: { Swarm: 'prod' }, agent, exec: recorded('out-two', 2) },
        { instanceId: OFFLINE, tags: { Swarm: 'prod' }, agent: { ...agent, behaviour: 'offline' }, exec: recorded('never') },
        { instanceId: OTHER, tags: { Swarm: 'staging' }, agent, exec: recorded('other') },
      ],
    }),
  });
  const common = { endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  ssm = new SSMClient(common);
  s3 = new S3Client({ ...common, forcePathStyle: true });
  await ssm.send(new CreateDocumentCommand({ Name: 'probe-doc', Content: DOCUMENT, DocumentType: 'Command', DocumentFormat: 'JSON' }));
}

async function stop(): Promise<void> {
  ssm?.destroy();
  s3?.destroy();
  await endpoint?.close();
}

const create = (extra: Record<string, unknown> = {}) =>
  ssm.send(
    new CreateAssociationCommand({
      Name: 'probe-doc',
      AssociationName: 'swarm-audit-Swarm-prod',
      Targets: [{ Key: 'tag:Swarm', Values: ['prod'] }],
      ScheduleExpression: 'rate(1 day)',
      OutputLocation: { S3Location: { OutputS3BucketName: 'audit-out', OutputS3KeyPrefix: 'swarm-audit/prod' } },
      ...extra,
    }),
  );

async function executions(associationId: string): Promise<AssociationExecution[]> {
  return (await ssm.send(new DescribeAssociationExecutionsCommand({ AssociationId: associationId }))).AssociationExecutions ?? [];
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('an association on its AWS schedule', () => {
  beforeAll(() => startWith());
  afterAll(stop);

  let associationId: string;

  test('CreateAssociation runs the document at once on the tagged managed instances; outputs land in the association layout', async () => {
    const created = (await create()).AssociationDescription!;
    associationId = created.AssociationId!;
    expect(created).toMatchObject({ AssociationVersion: '1', Name: 'probe-doc', ScheduleExpression: 'rate(1 day)', Overview: { Status: 'Pending' } });
    const [run] = await until(() => executions(associationId), (e) => e[0]?.ResourceCountByStatus === '{Failed=1, Pending=1, Success=1}');
    expect(run).toMatchObject({ AssociationVersion: '1', Status: 'InProgress', ResourceCountByStatus: '{Failed=1, Pending=1, Success=1}' });
    const targets = (await ssm.send(new DescribeAssociationExecutionTargetsCommand({ AssociationId: associationId, ExecutionId: run.ExecutionId! }))).AssociationExecutionTargets!;
    expect(targets.map((t) => `${t.ResourceId}:${t.Status}`).sort()).toEqual([`${ONE}:Success`, `${TWO}:Failed`, `${OFFLINE}:Pending`]);
    expect(targets[0]).toMatchObject({ ResourceType: 'ManagedInstance', OutputSource: { OutputSourceType: 'RunCommand' } });

    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: 'audit-out', Prefix: 'swarm-audit/prod/' }))).Contents!.map((o) => o.Key!);
    const layout = new RegExp(`^swarm-audit/prod/(i-\\w+)/${associationId}/(\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z)/awsrunShellScript/probe/(stdout|stderr)$`);
    expect(keys).toHaveLength(4);
    for (const key of keys) expect(key).toMatch(layout);
    expect(new Set(keys.map((k) => layout.exec(k)![1]))).toEqual(new Set([ONE, TWO]));
    const runStartedAt = Date.parse(layout.exec(keys[0])![2].replace(/T(\d\d)-(\d\d)-(\d\d)/, 'T$1:$2:$3'));
    expect(runStartedAt).toBeGreaterThanOrEqual(Math.floor(run.CreatedTime!.getTime() / 1000) * 1000 - 1000);
  });

  test('a filtered ListAssociations finds it by name; DescribeAssociation gives the output location and the latest run', async () => {
    const listed = await ssm.send(new ListAssociationsCommand({ AssociationFilterList: [{ key: 'AssociationName', value: 'swarm-audit-Swarm-prod' }] }));
    expect(listed.Associations!.map((a) => a.AssociationId)).toEqual([associationId]);
    expect((await ssm.send(new ListAssociationsCommand({ AssociationFilterList: [{ key: 'AssociationName', value: 'nope-nope' }] }))).Associations).toEqual([]);
    const described = (await ssm.send(new DescribeAssociationCommand({ AssociationId: associationId }))).AssociationDescription!;
    expect(described.OutputLocation).toEqual({ S3Location: { OutputS3BucketName: 'audit-out', OutputS3KeyPrefix: 'swarm-audit/prod' } });
    expect(described.LastExecutionDate).toBeInstanceOf(Date);
  });

  test('a second association of the same name is AssociationAlreadyExists; rates under 30 minutes and bad cron are InvalidSchedule', async () => {
    await expect(create()).rejects.toMatchObject({ name: 'AssociationAlreadyExists' });
    await expect(create({ AssociationName: 'fast-one', ScheduleExpression: 'rate(5 minutes)' })).rejects.toMatchObject({ name: 'InvalidSchedule' });
    await expect(create({ AssociationName: 'cron-one', ScheduleExpression: 'cron(*/5 * * * ? *)' })).rejects.toMatchObject({ name: 'InvalidSchedule' });
    await expect(create({ AssociationName: 'no-doc', Name: 'missing-doc' })).rejects.toMatchObject({ name: 'InvalidDocument' });
  });

  test('UpdateAssociation adds a version and runs it again; a stale AssociationVersion is refused', async () => {
    const updated = await ssm.send(
      new UpdateAssociationCommand({ AssociationId: associationId, AssociationVersion: '1', Name: 'probe-doc', AssociationName: 'swarm-audit-Swarm-prod', Targets: [{ Key: 'tag:Swarm', Values: ['staging'] }], ScheduleExpression: 'rate(12 hours)' }),
    );
    expect(updated.AssociationDescription).toMatchObject({ AssociationVersion: '2', ScheduleExpression: 'rate(12 hours)' });
    // the update left OutputLocation out: AWS overwrites it with nothing
    expect(updated.AssociationDescription!.OutputLocation).toBeUndefined();
    const runs = await until(() => executions(associationId), (e) => e.length === 2 && e[0].Status === 'Success');
    expect(runs.map((r) => r.AssociationVersion)).toEqual(['2', '1']);
    expect(runs[0]).toMatchObject({ Status: 'Success', ResourceCountByStatus: '{Success=1}' });
    await expect(ssm.send(new UpdateAssociationCommand({ AssociationId: associationId, AssociationVersion: '1', ScheduleExpression: 'rate(1 day)' }))).rejects.toMatchObject({ name: 'InvalidAssociationVersion' });
    await expect(ssm.send(new DescribeAssociationExecutionTargetsCommand({ AssociationId: associationId, ExecutionId: '00000000-0000-0000-0000-000000000000' }))).rejects.toMatchObject({ name: 'AssociationExecutionDoesNotExist' });
  });

  test('DeleteAssociation removes it: describe, executions and a second delete answer AssociationDoesNotExist', async () => {
    await ssm.send(new DeleteAssociationCommand({ AssociationId: associationId }));
    await expect(ssm.send(new DescribeAssociationCommand({ AssociationId: associationId }))).rejects.toMatchObject({ name: 'AssociationDoesNotExist' });
    await expect(executions(associationId)).rejects.toMatchObject({ name: 'AssociationDoesNotExist' });
    await expect(ssm.send(new DeleteAssociationCommand({ AssociationId: associationId }))).rejects.toMatchObject({ name: 'AssociationDoesNotExist' });
  });
});

describe('limits.associationIntervalMs shortens every schedule (tests only)', () => {
  beforeAll(() => startWith({ associationIntervalMs: 300 }));
  afterAll(stop);

  test('a rate(30 minutes) association runs again on each short tick, each run a new execution', async () => {
    const id = (await create({ ScheduleExpression: 'rate(30 minutes)' })).AssociationDescription!.AssociationId!;
    const runs = await until(() => executions(id), (e) => e.length >= 3, 5_000);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(runs.map((r) => r.ExecutionId)).size).toBe(runs.length);
    await ssm.send(new DeleteAssociationCommand({ AssociationId: id }));
  });
});
