/**
 * The endpoint keeps accounts and regions apart, through the real SDK: a
 * request sees the instances of its signer's account (an AssumeRole session
 * is the role's account) in the region its signature names; commands too.
 * assumableRoles refuses any other role with AccessDenied. A fleet file
 * that names no instance's account or region serves every one, as before.
 */
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, ListCommandsCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import { parseFleetFile } from '../../../packages/sandbox/src/fleet-file.js';

const KEYS = { accountId: 'x', accessKeyId: 'AKIDSCOPES', secretAccessKey: 'x' };
const OWN = '123456789012';
const OTHER = '210987654321';
const ROLE = `arn:aws:iam::${OTHER}:role/SwarmAudit`;
const agent = { pingStatus: 'Online', platform: 'Linux' };
const exec = { recorded: { stdout: 'ok\n', stderr: '', code: 0 } };

const SCOPED = parseFleetFile({
  accountId: OWN,
  region: 'eu-west-1',
  assumableRoles: [ROLE],
  instances: [
    { instanceId: 'i-00000001', agent, exec }, // the fleet's account and region
    { instanceId: 'i-00000002', region: 'us-east-1', agent, exec },
    { instanceId: 'i-00000003', accountId: OTHER, agent, exec },
    { instanceId: 'i-00000004', accountId: OTHER, region: 'us-east-1', agent, exec },
  ],
});

let scoped: RunningEndpoint;
let legacy: RunningEndpoint;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  scoped = await startEndpoint({ fleet: SCOPED });
  legacy = await startEndpoint({ fleet: parseFleetFile({ accountId: OWN, region: 'eu-west-1', instances: [{ instanceId: 'i-00000009', agent, exec }] }) });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await scoped?.close();
  await legacy?.close();
});

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function ec2(endpoint: RunningEndpoint, region: string, credentials: Credentials = KEYS): EC2Client {
  const client = new EC2Client({ endpoint: endpoint.url, region, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

function ssm(endpoint: RunningEndpoint, region: string, credentials: Credentials = KEYS): SSMClient {
  const client = new SSMClient({ endpoint: endpoint.url, region, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

async function ids(client: EC2Client): Promise<{ ids: string[]; owners: string[] }> {
  const out = await client.send(new DescribeInstancesCommand({}));
  return {
    ids: (out.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId!)).sort(),
    owners: [...new Set((out.Reservations ?? []).map((r) => r.OwnerId!))],
  };
}

async function roleCredentials(roleArn: string): Promise<Credentials> {
  const sts = new STSClient({ endpoint: scoped.url, region: 'eu-west-1', credentials: KEYS, maxAttempts: 1 });
  clients.push(sts);
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'scopes' }));
  return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
}

test('long-term keys: the fleet account, one region at a time', async () => {
  expect(await ids(ec2(scoped, 'eu-west-1'))).toEqual({ ids: ['i-00000001'], owners: [OWN] });
  expect(await ids(ec2(scoped, 'us-east-1'))).toEqual({ ids: ['i-00000002'], owners: [OWN] });
  expect(await ids(ec2(scoped, 'ap-south-1'))).toEqual({ ids: [], owners: [] });
  const agents = await ssm(scoped, 'us-east-1').send(new DescribeInstanceInformationCommand({}));
  expect(agents.InstanceInformationList!.map((i) => i.InstanceId)).toEqual(['i-00000002']);
});

test('an AssumeRole session sees the role\'s account, in the region it signs for', async () => {
  const credentials = await roleCredentials(ROLE);
  expect(await ids(ec2(scoped, 'eu-west-1', credentials))).toEqual({ ids: ['i-00000003'], owners: [OTHER] });
  expect(await ids(ec2(scoped, 'us-east-1', credentials))).toEqual({ ids: ['i-00000004'], owners: [OTHER] });
});

test('commands are per account and region: another region does not list the command', async () => {
  const euWest = ssm(scoped, 'eu-west-1');
  const sent = await euWest.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-00000001'], Parameters: { commands: ['true'] } }));
  const usEast = ssm(scoped, 'us-east-1');
  const listed = await usEast.send(new ListCommandsCommand({}));
  expect((listed.Commands ?? []).map((c) => c.CommandId)).not.toContain(sent.Command!.CommandId);
  const own = await euWest.send(new ListCommandsCommand({}));
  expect((own.Commands ?? []).map((c) => c.CommandId)).toContain(sent.Command!.CommandId);
});

test('assumableRoles: any other role is AccessDenied, naming the caller and the role', async () => {
  await expect(roleCredentials('arn:aws:iam::333333333333:role/SwarmAudit')).rejects.toMatchObject({
    name: 'AccessDenied',
    message: `User: arn:aws:iam::${OWN}:user/sandbox is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/SwarmAudit`,
  });
});

test('a fleet file without per-instance accounts or regions serves every account and region, as before', async () => {
  expect((await ids(ec2(legacy, 'us-west-2'))).ids).toEqual(['i-00000009']);
  const sts = new STSClient({ endpoint: legacy.url, region: 'eu-west-1', credentials: KEYS, maxAttempts: 1 });
  clients.push(sts);
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'legacy' }));
  const credentials = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
  expect(await ids(ec2(legacy, 'eu-west-1', credentials))).toEqual({ ids: ['i-00000009'], owners: [OTHER] });
});
