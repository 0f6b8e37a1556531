/**
 * The sandbox's S3 (path-style, on the endpoint's port) through the real SDK:
 * PutObject / GetObject / ListObjectsV2 with S3's errors and paging; Run
 * Command with OutputS3BucketName leaving each step's whole streams under the
 * key layout SSM uses; and the fleet runner reading a 30,000-character stdout
 * back from there through createAwsClients.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createAwsClients, type AwsClients } from '../../../src/aws/client-factory.js';
import { SdkSsmApi } from '../../../src/aws/sdk-ssm.js';
import { runCommand } from '../../../src/fleet/runner.js';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import { parseFleetFile } from '../../../packages/sandbox/src/fleet-file.js';

const BIG = 'i-0000000000000b001';
const SMALL = 'i-0000000000000b002';
const CREDENTIALS = { accessKeyId: 'AKIDS3TEST', secretAccessKey: 'x' };
const whole = Array.from({ length: 3_000 }, (_, i) => `line ${String(i).padStart(4, '0')}`).join('\n');

let endpoint: RunningEndpoint;
let s3: S3Client;
let ssm: SSMClient;
let aws: AwsClients;

beforeAll(async () => {
  const agent = { pingStatus: 'Online', platform: 'Linux' };
  endpoint = await startEndpoint({
    fleet: parseFleetFile({
      accountId: '123456789012',
      region: 'us-east-1',
      instances: [
        { instanceId: BIG, agent, exec: { recorded: { stdout: whole, stderr: 'warn', code: 0 }, runtimeMs: [50, 50] } },
        { instanceId: SMALL, agent, exec: { recorded: { stdout: 'small', stderr: '', code: 0 }, runtimeMs: [50, 50] } },
      ],
    }),
  });
  const common = { endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  s3 = new S3Client({ ...common, forcePathStyle: true });
  ssm = new SSMClient(common);
  aws = createAwsClients({ endpointUrl: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS });
});

afterAll(async () => {
  s3?.destroy();
  ssm?.destroy();
  if (aws?.ssm instanceof SdkSsmApi) aws.ssm.destroy();
  await endpoint?.close();
});

const text = async (bucket: string, key: string) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

it('stores, serves and lists objects with S3 paging and errors', async () => {
  await s3.send(new PutObjectCommand({ Bucket: 'b1', Key: 'a/1.txt', Body: 'one' }));
  await s3.send(new PutObjectCommand({ Bucket: 'b1', Key: 'a/2.txt', Body: 'two' }));
  await s3.send(new PutObjectCommand({ Bucket: 'b1', Key: 'z.txt', Body: 'zed' }));
  expect(await text('b1', 'a/2.txt')).toBe('two');

  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: 'b1', Prefix: 'a/', MaxKeys: 1, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  expect(keys).toEqual(['a/1.txt', 'a/2.txt']);

  await expect(text('b1', 'missing')).rejects.toMatchObject({ name: 'NoSuchKey' });
  await expect(s3.send(new ListObjectsV2Command({ Bucket: 'nope' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  expect(endpoint.stats().requests).toMatchObject({ PutObject: 3, GetObject: 2, ListObjectsV2: 3 });
});

it('keeps each step’s whole stdout and stderr under <prefix>/<command>/<instance>/awsrunShellScript/<step>/', async () => {
  const sent = await ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [BIG, SMALL],
      Parameters: { commands: ['true'] },
      OutputS3BucketName: 'outs',
      OutputS3KeyPrefix: 'runs',
    }),
  );
  const commandId = sent.Command!.CommandId!;
  await new Promise((resolve) => setTimeout(resolve, 400));
  const listing = await s3.send(new ListObjectsV2Command({ Bucket: 'outs', Prefix: `runs/${commandId}/` }));
  const step = 'awsrunShellScript/0.awsrunShellScript';
  expect((listing.Contents ?? []).map((o) => o.Key).sort()).toEqual(
    [`${BIG}/${step}/stderr`, `${BIG}/${step}/stdout`, `${SMALL}/${step}/stderr`, `${SMALL}/${step}/stdout`].map((k) => `runs/${commandId}/${k}`),
  );
  expect(await text('outs', `runs/${commandId}/${BIG}/${step}/stdout`)).toBe(whole);
  expect(await text('outs', `runs/${commandId}/${BIG}/${step}/stderr`)).toBe('warn');
  const got = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: BIG }));
  expect(got.StandardOutputContent!.length).toBeLessThan(whole.length);
});

it('lets the fleet runner read a stdout past 24,000 characters from the bucket', async () => {
  const outcomes = await runCommand(aws, [BIG, SMALL], { kind: 'shell', commands: ['true'] }, {
    concurrency: 4,
    timeoutMs: 30_000,
    pollIntervalMs: 100,
    outputS3Bucket: 'audit-out',
  });
  expect(whole.length).toBeGreaterThan(24_000);
  expect(outcomes.get(BIG)).toMatchObject({ status: 'Success', stdoutComplete: true, stdout: whole, stderr: 'warn' });
  expect(outcomes.get(SMALL)).toMatchObject({ status: 'Success', stdoutComplete: true, stdout: 'small' });
});
