/**
 * Drives the in-process endpoint with the real AWS SDK v3 clients: proves wire
 * compatibility (JSON 1.1 and EC2 query/XML), the SSM rules it enforces, and
 * that commands really run (host namespace, /bin/sh).
 */
import { execFileSync } from 'node:child_process';
import { EC2Client, DescribeInstancesCommand, DescribeSecurityGroupsCommand, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import {
  CancelCommandCommand,
  CreateDocumentCommand,
  DescribeDocumentCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  GetDocumentCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  ListComplianceItemsCommand,
  PutComplianceItemsCommand,
  SendCommandCommand,
  SSMClient,
  paginateDescribeInstanceInformation,
  paginateListCommandInvocations,
  type GetCommandInvocationCommandOutput,
} from '@aws-sdk/client-ssm';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import { BULK, CRASH, CREDENTIALS, GROUP, OFFLINE, ONLINE, ONLINE_2, SLOW, STOPPED, UNMANAGED, testFleet, waitFor } from './fixtures.js';

let endpoint: RunningEndpoint;
let ssm: SSMClient;
let ec2: EC2Client;

beforeAll(async () => {
  endpoint = await startEndpoint({ fleet: testFleet() });
  ssm = new SSMClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  ec2 = new EC2Client({ endpoint: endpoint.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
});

afterAll(async () => {
  ssm?.destroy();
  ec2?.destroy();
  await endpoint?.close();
});

async function send(instanceIds: string[], commands: string[], extra: Record<string, string[]> = {}, timeoutSeconds?: number) {
  const out = await ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: instanceIds,
      Parameters: { commands, ...extra },
      TimeoutSeconds: timeoutSeconds,
    }),
  );
  return out.Command!.CommandId!;
}

const FINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);

async function finalInvocation(commandId: string, instanceId: string, timeoutMs = 15_000): Promise<GetCommandInvocationCommandOutput> {
  return waitFor(async () => {
    try {
      const out = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
      return FINAL.has(out.Status!) ? out : undefined;
    } catch (err) {
      if ((err as Error).name === 'InvocationDoesNotExist') return undefined;
      throw err;
    }
  }, timeoutMs);
}

describe('EC2 over the query protocol', () => {
  it('paginates DescribeInstances by tag with paginateDescribeInstances', async () => {
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: 'tag:Swarm', Values: ['bulk', 'prod'] }] },
    )) {
      pages += 1;
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) ids.push(i.InstanceId!);
    }
    expect(ids.sort()).toEqual([ONLINE, ONLINE_2, OFFLINE, UNMANAGED, ...BULK].sort());
    expect(pages).toBe(4);
  });

  it('returns state codes, addresses, tags and groups, and filters by state', async () => {
    const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] }));
    const instances = out.Reservations!.flatMap((r) => r.Instances!);
    expect(instances.map((i) => i.InstanceId)).toEqual([STOPPED]);
    expect(instances[0].State).toEqual({ Code: 80, Name: 'stopped' });
    const one = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [ONLINE] }))).Reservations![0].Instances![0];
    expect(one).toMatchObject({
      InstanceId: ONLINE,
      State: { Code: 16, Name: 'running' },
      PrivateIpAddress: '10.0.0.11',
      PlatformDetails: 'Linux/UNIX',
      SecurityGroups: [{ GroupId: GROUP, GroupName: 'swarm-nodes' }],
    });
    expect(one.Tags).toEqual([{ Key: 'Swarm', Value: 'prod' }]);
  });

  it('validates MaxResults and unknown ids like EC2', async () => {
    await expect(ec2.send(new DescribeInstancesCommand({ MaxResults: 3 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0fffffffffffffff0'] }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
    });
    await expect(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('describes security group rules with group pairs and CIDR ranges', async () => {
    const out = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [GROUP] }] }));
    const rules = out.SecurityGroups![0].IpPermissions!;
    expect(rules[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 2377, ToPort: 2377, UserIdGroupPairs: [{ GroupId: GROUP }] });
    expect(rules[1]).toMatchObject({ IpProtocol: '50', IpRanges: [{ CidrIp: '10.0.0.0/16' }] });
  });
});

describe('SSM over AWS JSON 1.1', () => {
  it('lists managed instances only, paginated, filtered by PingStatus', async () => {
    const ids: string[] = [];
    for await (const page of paginateDescribeInstanceInformation({ client: ssm, pageSize: 5 }, {})) {
      ids.push(...page.InstanceInformationList!.map((i) => i.InstanceId!));
    }
    expect(ids).not.toContain(UNMANAGED);
    expect(ids).toHaveLength(18);
    const lost = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'PingStatus', Values: ['ConnectionLost'] }] }));
    expect(lost.InstanceInformationList!.map((i) => i.InstanceId)).toEqual([STOPPED]);
    expect(lost.InstanceInformationList![0]).toMatchObject({ ResourceType: 'EC2Instance', PlatformType: 'Linux' });
  });

  it('rejects 51 InstanceIds with ValidationException', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `i-0ccccccccccccc${String(i).padStart(3, '0')}`);
    await expect(send(ids, ['true'])).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('hides new invocations for the consistency delay, then reports exit code, stdout and stderr', async () => {
    const commandId = await send([ONLINE], ['echo hi', 'echo err >&2', 'exit 3']);
    await expect(ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: ONLINE }))).rejects.toMatchObject({
      name: 'InvocationDoesNotExist',
    });
    const early = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId }));
    expect(early.CommandInvocations).toEqual([]);

    const done = await finalInvocation(commandId, ONLINE);
    expect(done).toMatchObject({ Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 3, StandardOutputContent: 'hi\n', StandardErrorContent: 'err\n' });
    expect(done.ExecutionElapsedTime).toMatch(/^PT\d+\.\d{3}S$/);
    expect(new Date(done.ExecutionStartDateTime!).getTime()).toBeGreaterThan(0);

    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }));
    expect(listed.CommandInvocations![0].CommandPlugins![0]).toMatchObject({
      Name: 'aws:runShellScript',
      Status: 'Failed',
      ResponseCode: 3,
      Output: 'hi\n\n----------ERROR-------\nerr\n',
    });
    expect(listed.CommandInvocations![0].RequestedDateTime).toBeInstanceOf(Date);
    const commands = await ssm.send(new ListCommandsCommand({ CommandId: commandId }));
    expect(commands.Commands![0]).toMatchObject({ Status: 'Failed', TargetCount: 1, CompletedCount: 1, ErrorCount: 1 });
  });

  it('truncates like the agent: 24,000 in GetCommandInvocation, 2,500 in ListCommandInvocations', async () => {
    const commandId = await send([ONLINE], ["head -c 30000 /dev/zero | tr '\\0' a"]);
    const done = await finalInvocation(commandId, ONLINE);
    expect(done.Status).toBe('Success');
    expect(done.StandardOutputContent).toHaveLength(24_000);
    expect(done.StandardOutputContent!.endsWith('--output truncated--')).toBe(true);
    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }));
    const output = listed.CommandInvocations![0].CommandPlugins![0].Output!;
    expect(output).toHaveLength(2500);
    expect(output.endsWith('\n---Output truncated---')).toBe(true);
  });

  it('kills a command at its executionTimeout: TimedOut / ExecutionTimedOut / 137', async () => {
    const started = Date.now();
    const commandId = await send([ONLINE], ['echo before', 'exec sleep 5.4321'], { executionTimeout: ['1'] });
    const done = await finalInvocation(commandId, ONLINE);
    expect(done).toMatchObject({ Status: 'TimedOut', StatusDetails: 'ExecutionTimedOut', ResponseCode: 137, StandardOutputContent: 'before\n' });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(processesMatching('sleep 5.4321')).toBe(0);
  });

  it('leaves an offline agent Pending until TimeoutSeconds, then DeliveryTimedOut', async () => {
    const commandId = await send([OFFLINE], ['echo never'], {}, 2);
    await new Promise((r) => setTimeout(r, 400));
    const pending = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: OFFLINE }));
    expect([pending.Status, pending.ResponseCode]).toEqual(['Pending', -1]);
    const done = await finalInvocation(commandId, OFFLINE, 6000);
    expect(done).toMatchObject({ Status: 'TimedOut', StatusDetails: 'DeliveryTimedOut', ResponseCode: -1, StandardOutputContent: '' });
    const commands = await ssm.send(new ListCommandsCommand({ CommandId: commandId }));
    expect(commands.Commands![0]).toMatchObject({ Status: 'TimedOut', StatusDetails: 'Delivery Timed Out', DeliveryTimedOutCount: 1 });
  });

  it('rejects a TimeoutSeconds under the configured minimum', async () => {
    await expect(send([ONLINE], ['true'], {}, 0)).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('marks unmanaged instances Undeliverable, crashed agents Failed with -1, slow agents InProgress first', async () => {
    const commandId = await send([UNMANAGED, CRASH, SLOW], ['echo partial', 'sleep 3', 'echo late']);
    await new Promise((r) => setTimeout(r, 250));
    const slow = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: SLOW }));
    expect(slow.Status).toBe('InProgress');
    const unmanaged = await finalInvocation(commandId, UNMANAGED);
    expect(unmanaged).toMatchObject({ Status: 'Failed', StatusDetails: 'Undeliverable', ResponseCode: -1 });
    const crashed = await finalInvocation(commandId, CRASH);
    expect(crashed).toMatchObject({ Status: 'Failed', StatusDetails: 'Failed', ResponseCode: -1, StandardOutputContent: 'partial\n' });
    await ssm.send(new CancelCommandCommand({ CommandId: commandId }));
  });

  it('cancels a running command: Cancelled with 137 and the process group killed', async () => {
    const commandId = await send([ONLINE_2], ['exec sleep 9.8765']);
    await waitFor(async () => (processesMatching('sleep 9.8765') > 0 ? true : undefined));
    await ssm.send(new CancelCommandCommand({ CommandId: commandId }));
    const done = await finalInvocation(commandId, ONLINE_2);
    expect(done).toMatchObject({ Status: 'Cancelled', StatusDetails: 'Cancelled', ResponseCode: 137 });
    expect(processesMatching('sleep 9.8765')).toBe(0);
  });

  it('sends to Targets by tag and pages invocations with paginateListCommandInvocations', async () => {
    const out = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        Targets: [{ Key: 'tag:Swarm', Values: ['prod'] }],
        Parameters: { commands: ['echo "$SANDBOX_INSTANCE"'] },
        TimeoutSeconds: 2,
      }),
    );
    const commandId = out.Command!.CommandId!;
    await finalInvocation(commandId, ONLINE);
    await finalInvocation(commandId, OFFLINE, 6000);
    const seen: Record<string, string> = {};
    let pages = 0;
    for await (const page of paginateListCommandInvocations({ client: ssm, pageSize: 1 }, { CommandId: commandId, Details: true })) {
      pages += 1;
      for (const i of page.CommandInvocations!) seen[i.InstanceId!] = i.CommandPlugins![0].Output!;
    }
    expect(pages).toBe(3); // managed prod instances only: ONLINE, ONLINE_2, OFFLINE
    expect(seen).toEqual({ [ONLINE]: `${ONLINE}\n`, [ONLINE_2]: `${ONLINE_2}\n`, [OFFLINE]: '' });
  });

  it('runs a custom schemaVersion 2.2 document and enforces allowedPattern', async () => {
    const content = JSON.stringify({
      schemaVersion: '2.2',
      description: 'probe',
      parameters: { mode: { type: 'String', default: 'read', allowedPattern: '^(read|fix)$' } },
      mainSteps: [{ action: 'aws:runShellScript', name: 'probe', inputs: { runCommand: ['echo mode={{ mode }}'] } }],
    });
    await ssm.send(new CreateDocumentCommand({ Name: 'SwarmAuditProbe', Content: content, DocumentType: 'Command', DocumentFormat: 'JSON' }));
    const described = await ssm.send(new DescribeDocumentCommand({ Name: 'SwarmAuditProbe' }));
    expect(described.Document).toMatchObject({ SchemaVersion: '2.2', DefaultVersion: '1', Parameters: [{ Name: 'mode', DefaultValue: 'read' }] });
    expect((await ssm.send(new GetDocumentCommand({ Name: 'SwarmAuditProbe' }))).Content).toBe(content);
    await expect(
      ssm.send(new SendCommandCommand({ DocumentName: 'SwarmAuditProbe', InstanceIds: [ONLINE], Parameters: { mode: ['rm -rf /'] } })),
    ).rejects.toMatchObject({ name: 'InvalidParameters' });
    const sent = await ssm.send(new SendCommandCommand({ DocumentName: 'SwarmAuditProbe', InstanceIds: [ONLINE], Parameters: { mode: ['fix'] } }));
    const done = await finalInvocation(sent.Command!.CommandId!, ONLINE);
    expect(done).toMatchObject({ Status: 'Success', PluginName: 'probe', StandardOutputContent: 'mode=fix\n' });
  });

  it('stores compliance items', async () => {
    await ssm.send(
      new PutComplianceItemsCommand({
        ResourceId: ONLINE,
        ResourceType: 'ManagedInstance',
        ComplianceType: 'Custom:SwarmAudit',
        ExecutionSummary: { ExecutionTime: new Date() },
        Items: [{ Id: 'CIS-7.2', Severity: 'HIGH', Status: 'NON_COMPLIANT', Title: 'listen address' }],
      }),
    );
    const listed = await ssm.send(new ListComplianceItemsCommand({ ResourceIds: [ONLINE], ResourceTypes: ['ManagedInstance'] }));
    expect(listed.ComplianceItems).toEqual([expect.objectContaining({ Id: 'CIS-7.2', Status: 'NON_COMPLIANT', ComplianceType: 'Custom:SwarmAudit' })]);
  });
});

describe('protocol edges', () => {
  it('requires a SigV4 Authorization header and answers unknown operations in the AWS shape', async () => {
    const post = (headers: Record<string, string>, body: string) => fetch(endpoint.url, { method: 'POST', headers, body });
    const unsigned = await post({ 'x-amz-target': 'AmazonSSM.ListCommands', 'content-type': 'application/x-amz-json-1.1' }, '{}');
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationToken' });
    const auth = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    const unknown = await post(
      { authorization: auth, 'x-amz-date': '20240101T000000Z', 'x-amz-target': 'AmazonSSM.DeleteEverything', 'content-type': 'application/x-amz-json-1.1' },
      '{}',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
    const ec2Unknown = await post({ authorization: auth, 'x-amz-date': '20240101T000000Z', 'content-type': 'application/x-www-form-urlencoded' }, 'Action=TerminateInstances&Version=2016-11-15');
    expect(await ec2Unknown.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('answers hostile or malformed input with AWS errors, never a crash', async () => {
    const auth = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    const headers = { authorization: auth, 'x-amz-date': '20240101T000000Z' };
    const ssmCall = (op: string, body: string) =>
      fetch(endpoint.url, { method: 'POST', headers: { ...headers, 'x-amz-target': `AmazonSSM.${op}`, 'content-type': 'application/x-amz-json-1.1' }, body });
    const truncated = await ssmCall('SendCommand', '{"DocumentName": "AWS-RunSh');
    expect([truncated.status, ((await truncated.json()) as { __type: string }).__type]).toEqual([400, 'SerializationException']);
    const wrongType = await ssmCall('SendCommand', JSON.stringify({ DocumentName: 'AWS-RunShellScript', InstanceIds: 'i-0aaaaaaaaaaaaaa01' }));
    expect(((await wrongType.json()) as { __type: string }).__type).toBe('SerializationException');
    const badCommandId = await ssmCall('GetCommandInvocation', JSON.stringify({ CommandId: 'x'.repeat(36), InstanceId: ONLINE }));
    expect(((await badCommandId.json()) as { __type: string }).__type).toBe('InvalidCommandId');
    const ec2Call = (body: string) =>
      fetch(endpoint.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body });
    const namelessFilter = await ec2Call('Action=DescribeInstances&Version=2016-11-15&Filter.1.Value.1=x');
    expect(await namelessFilter.text()).toContain('<Code>InvalidParameterValue</Code>');
    const hugeIndex = await ec2Call('Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag:Swarm&Filter.1.Value.9999=prod');
    expect(hugeIndex.status).toBe(200);
    expect(await hugeIndex.text()).toContain(ONLINE);
  });

  it('serves stats without auth', async () => {
    const stats = (await (await fetch(`${endpoint.url}/_sandbox/stats`)).json()) as { requests: Record<string, number>; commandsRun: number };
    expect(stats.requests.SendCommand).toBeGreaterThan(5);
    expect(stats.commandsRun).toBeGreaterThan(5);
  });
});

/** Counts processes whose whole command line is `commandLine` (pgrep exits 1 when none match). */
function processesMatching(commandLine: string): number {
  try {
    return Number(execFileSync('pgrep', ['-c', '-f', `^${commandLine}$`]).toString().trim());
  } catch {
    return 0;
  }
}
