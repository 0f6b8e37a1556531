/**
 * STS on the sandbox endpoint through the real SDK: GetCallerIdentity names
 * the fleet's account, and --role-arn (createAwsClients with roleArn and
 * endpointUrl) sends AssumeRole to the endpoint too, so every later call is
 * signed with the role's temporary key and answers as the role's account.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createAwsClients } from '../../../src/aws/client-factory.js';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import { parseFleetFile } from '../../../packages/sandbox/src/fleet-file.js';

const CREDENTIALS = { accessKeyId: 'AKIDSTS', secretAccessKey: 'x' };
let endpoint: RunningEndpoint;
let sts: STSClient;

beforeAll(async () => {
  endpoint = await startEndpoint({ fleet: parseFleetFile({ accountId: '123456789012', region: 'eu-west-1', instances: [] }) });
  sts = new STSClient({ endpoint: endpoint.url, region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
});

afterAll(async () => {
  sts?.destroy();
  await endpoint?.close();
});

test('GetCallerIdentity answers the fleet account for any long-term key', async () => {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  expect(identity).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/sandbox' });
});

test('AssumeRole issues temporary credentials that act as the role, in its account', async () => {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/audit/SwarmAudit', RoleSessionName: 'swarm-audit' }));
  expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[0-9A-F]{16}$/);
  expect(out.Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::210987654321:assumed-role/SwarmAudit/swarm-audit');
  const asRole = new STSClient({
    endpoint: endpoint.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! },
  });
  await expect(asRole.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: '210987654321', Arn: out.AssumedRoleUser!.Arn });
  asRole.destroy();
});

test('AssumeRole refuses what STS refuses: a malformed role ARN, a bad session name, a duration out of 900..43200', async () => {
  await expect(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::12:role/x', RoleSessionName: 'ok-name' }))).rejects.toMatchObject({ name: 'ValidationError' });
  await expect(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/x', RoleSessionName: 'a b' }))).rejects.toMatchObject({ name: 'ValidationError' });
  await expect(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/x', RoleSessionName: 'ok', DurationSeconds: 60 }))).rejects.toMatchObject({ name: 'ValidationError' });
});

test('createAwsClients with roleArn and endpointUrl assumes the role at the endpoint: the caller is the role', async () => {
  const before = endpoint.stats().requests.AssumeRole ?? 0;
  const clients = createAwsClients({ endpointUrl: endpoint.url, region: 'eu-west-1', credentials: CREDENTIALS, roleArn: 'arn:aws:iam::210987654321:role/SwarmAudit', maxAttempts: 1 });
  const identity = await clients.sts.getCallerIdentity();
  expect(identity.Account).toBe('210987654321');
  expect(identity.Arn).toBe('arn:aws:sts::210987654321:assumed-role/SwarmAudit/swarm-audit');
  // every client signs with the same temporary key: the role is assumed once, not once per client
  await Promise.all([
    clients.ssm.describeInstanceInformation({}),
    clients.ssm.listCommands({}),
    clients.ec2.describeInstances({}),
    clients.securityHub.batchImportFindings({ Findings: [] }).catch(() => undefined),
  ]);
  expect((endpoint.stats().requests.AssumeRole ?? 0) - before).toBe(1);
});
