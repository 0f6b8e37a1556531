/**
 * `schedule` end to end over the SDK and the sandbox endpoint: create, find it
 * unchanged, update with the diff, a dry run that writes nothing (endpoint
 * request counters), delete and delete again; and its flags refused before
 * any call.
 */
import { registerProbeDocument } from './register-probe-document.js';
import { createAwsClients, type AwsClients } from '../../src/aws/client-factory.js';
import { SdkSsmApi } from '../../src/aws/sdk-ssm.js';
import { deleteAssociation, scheduleAssociation } from '../../src/schedule/schedule-association.js';
import { scheduleRequest, type ScheduleFlags } from '../../src/schedule/schedule-request.js';
import { renderScheduleOutcome } from '../../src/schedule/render-outcome.js';
import type { DesiredAssociation } from '../../src/schedule/desired-association.js';
import { startEndpoint, type RunningEndpoint } from '../../packages/sandbox/src/endpoint/server.js';
import { parseFleetFile } from '../../packages/sandbox/src/fleet-file.js';

const CREDENTIALS = { accessKeyId: 'AKIDSCHEDULE', secretAccessKey: 'x' };
const base: ScheduleFlags = { tag: ['Swarm=prod'], tagKey: [], rate: 'rate(1 day)', outputS3Bucket: 'audit-outputs', documentName: 'swarm-audit-probe', dryRun: false, delete: false };
const WRITES = ['CreateAssociation', 'UpdateAssociation', 'DeleteAssociation'];

let endpoint: RunningEndpoint;
let aws: AwsClients;

beforeAll(async () => {
  endpoint = await startEndpoint({
    fleet: parseFleetFile({
      accountId: '123456789012',
      region: 'us-east-1',
      instances: [{ instanceId: 'i-0000000000000e001', tags: { Swarm: 'prod' }, agent: { pingStatus: 'Online', platform: 'Linux' }, exec: { recorded: { stdout: 'x', stderr: '', code: 0 } } }],
    }),
  });
  aws = createAwsClients({ endpointUrl: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS });
  await registerProbeDocument(endpoint.url, CREDENTIALS);
});

afterAll(async () => {
  if (aws?.ssm instanceof SdkSsmApi) aws.ssm.destroy();
  await endpoint?.close();
});

function desired(flags: Partial<ScheduleFlags> = {}): DesiredAssociation {
  const request = scheduleRequest({ ...base, ...flags });
  if (request.kind !== 'write') throw new Error('expected a write request');
  return request.association;
}

const writes = () => WRITES.reduce((n, op) => n + (endpoint.stats().requests[op] ?? 0), 0);
const calls = () => Object.values(endpoint.stats().requests).reduce((a, b) => a + b, 0);

describe('schedule is idempotent by association name', () => {
  test('the first run creates swarm-audit-Swarm-prod on tag:Swarm=prod with outputs under swarm-audit/<name>, in 2 calls', async () => {
    const before = calls();
    const outcome = await scheduleAssociation(aws.ssm, desired(), false);
    expect(outcome).toMatchObject({ action: 'created', version: '1' });
    expect(calls() - before).toBe(2); // ListAssociations + CreateAssociation
    expect(renderScheduleOutcome(outcome, desired())).toMatch(/^created association swarm-audit-Swarm-prod \([0-9a-f-]{36}, version 1\): runs document swarm-audit-probe on tag:Swarm=prod, rate\(1 day\), outputs to s3:\/\/audit-outputs\/swarm-audit\/swarm-audit-Swarm-prod\/$/m);
  });

  test('the same flags again change nothing: unchanged, 2 read calls, no write', async () => {
    const [before, writesBefore] = [calls(), writes()];
    expect(await scheduleAssociation(aws.ssm, desired(), false)).toMatchObject({ action: 'unchanged', version: '1' });
    expect(calls() - before).toBe(2);
    expect(writes()).toBe(writesBefore);
  });

  test('--dry-run with a new rate prints the update it would make and writes nothing', async () => {
    const writesBefore = writes();
    const outcome = await scheduleAssociation(aws.ssm, desired({ rate: 'rate(12 hours)' }), true);
    expect(outcome).toMatchObject({ action: 'would-update', changes: [{ field: 'ScheduleExpression', from: 'rate(1 day)', to: 'rate(12 hours)' }] });
    expect(writes()).toBe(writesBefore);
    const printed = renderScheduleOutcome(outcome, desired({ rate: 'rate(12 hours)' }));
    expect(JSON.parse(printed.slice(printed.indexOf('{')))).toMatchObject({ ScheduleExpression: 'rate(12 hours)', AssociationVersion: '1', Targets: [{ Key: 'tag:Swarm', Values: ['prod'] }] });
  });

  test('a new rate and prefix update it to version 2 and print the diff, in 3 calls', async () => {
    const before = calls();
    const outcome = await scheduleAssociation(aws.ssm, desired({ rate: 'rate(12 hours)', outputS3Prefix: 'audits/prod' }), false);
    expect(outcome).toMatchObject({ action: 'updated', version: '2' });
    expect(calls() - before).toBe(3);
    const printed = renderScheduleOutcome(outcome, desired());
    expect(printed).toContain('  ScheduleExpression: rate(1 day) -> rate(12 hours)\n');
    expect(printed).toMatch(/OutputLocation: .*swarm-audit\/swarm-audit-Swarm-prod.* -> .*audits\/prod/);
  });

  test('a missing probe document is refused with how to create it', async () => {
    await expect(scheduleAssociation(aws.ssm, desired({ name: 'other-name', documentName: 'not-created' }), false)).rejects.toMatchObject({
      code: 'DocumentMissing',
      message: expect.stringContaining('aws ssm create-document --name not-created'),
    });
  });

  test('delete removes it; deleting again finds nothing to delete (exit 0 by design)', async () => {
    expect(await deleteAssociation(aws.ssm, 'swarm-audit-Swarm-prod')).toMatchObject({ action: 'deleted' });
    expect(await deleteAssociation(aws.ssm, 'swarm-audit-Swarm-prod')).toEqual({ action: 'absent' });
  });
});

describe('schedule flags are checked before any call', () => {
  test.each([
    [{ rate: 'rate(5 minutes)' }, /at most every 30 minutes/],
    [{ rate: undefined }, /--rate is required/],
    [{ outputS3Bucket: undefined }, /--output-s3-bucket is required/],
    [{ outputS3Bucket: 'Bad_Bucket' }, /not an S3 bucket name/],
    [{ tag: [] }, /--name, or the --tag/],
    [{ tag: ['Swarm=prod*'] }, /no wildcards/],
    [{ name: 'a b' }, /association name/],
    [{ delete: true, rate: 'rate(1 day)' }, /--delete takes only --name or the tags: leave out --rate/],
  ] as [Partial<ScheduleFlags>, RegExp][])('%j is refused: %s', (flags, message) => {
    expect(() => scheduleRequest({ ...base, ...flags })).toThrow(message);
  });

  test('the default name and prefix come from the tags; --tag-key targets its own tag-key entry', () => {
    expect(desired({ tag: ['Swarm=prod,staging'], tagKey: ['Team'] })).toMatchObject({
      AssociationName: 'swarm-audit-Swarm-prod-staging-Team',
      Targets: [{ Key: 'tag:Swarm', Values: ['prod', 'staging'] }, { Key: 'tag-key', Values: ['Team'] }],
      OutputLocation: { S3Location: { OutputS3BucketName: 'audit-outputs', OutputS3KeyPrefix: 'swarm-audit/swarm-audit-Swarm-prod-staging-Team' } },
    });
    expect(scheduleRequest({ ...base, rate: undefined, outputS3Bucket: undefined, delete: true })).toEqual({ kind: 'delete', name: 'swarm-audit-Swarm-prod' });
  });
});
