/**
 * ListCommands on the sandbox endpoint, through the real SDK, as AWS documents
 * it: newest first, 50 a page at most with NextToken, filters InvokedAfter /
 * DocumentName / ExecutionStage / Status, and the counts the fleet runner
 * polls (TargetCount, CompletedCount, ErrorCount). Instances answer recorded
 * results, so no process runs.
 */
import { ListCommandInvocationsCommand, ListCommandsCommand, SendCommandCommand, SSMClient, type Command, type CommandFilter } from '@aws-sdk/client-ssm';
import { startEndpoint, type RunningEndpoint } from '../../../packages/sandbox/src/endpoint/server.js';
import { parseFleetFile } from '../../../packages/sandbox/src/fleet-file.js';

const agent = { pingStatus: 'Online', platform: 'Linux' };
const instance = (n: number, code: number, runtimeMs: number) => ({
  instanceId: `i-${String(n).padStart(17, '0')}`,
  agent,
  exec: { recorded: { stdout: `out ${n}`, stderr: '', code }, runtimeMs: [runtimeMs, runtimeMs] },
});

let endpoint: RunningEndpoint;
let ssm: SSMClient;

beforeAll(async () => {
  const fleet = parseFleetFile({
    accountId: '123456789012',
    region: 'us-east-1',
    faults: { consistencyDelayMs: 1_500 },
    instances: [instance(1, 0, 100), instance(2, 4, 100), instance(3, 0, 100), instance(4, 0, 60_000)],
  });
  endpoint = await startEndpoint({ fleet });
  ssm = new SSMClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLIST', secretAccessKey: 'x' }, maxAttempts: 1 });
});

afterAll(async () => {
  ssm?.destroy();
  await endpoint?.close();
});

async function send(ids: number[]): Promise<string> {
  const InstanceIds = ids.map((n) => `i-${String(n).padStart(17, '0')}`);
  const out = await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds, Parameters: { commands: ['true'] } }));
  return out.Command!.CommandId!;
}

async function list(filters?: CommandFilter[], maxResults?: number): Promise<{ commands: Command[]; pages: number }> {
  const commands: Command[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const out = await ssm.send(new ListCommandsCommand({ Filters: filters, MaxResults: maxResults, NextToken: nextToken }));
    commands.push(...(out.Commands ?? []));
    nextToken = out.NextToken;
    pages++;
  } while (nextToken);
  return { commands, pages };
}

it('lists commands with counts, paging, filters, and finished before their invocations are listable', async () => {
  const before = await send([1]);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const boundary = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const mixed = await send([1, 2, 3]);
  const hanging = await send([3, 4]);
  await new Promise((resolve) => setTimeout(resolve, 400));

  const all = await list(undefined, 1);
  expect(all.pages).toBe(3);
  expect(all.commands.map((c) => c.CommandId)).toEqual([hanging, mixed, before]);

  const recent = await list([{ key: 'InvokedAfter', value: boundary }, { key: 'DocumentName', value: 'AWS-RunShellScript' }]);
  expect(recent.commands.map((c) => c.CommandId)).toEqual([hanging, mixed]);
  expect(recent.commands[1]).toMatchObject({ Status: 'Failed', TargetCount: 3, CompletedCount: 3, ErrorCount: 1 });
  expect(recent.commands[0]).toMatchObject({ Status: 'InProgress', TargetCount: 2, CompletedCount: 1, ErrorCount: 0 });

  // Finished on ListCommands, still not listable on ListCommandInvocations (eventual consistency).
  const early = await ssm.send(new ListCommandInvocationsCommand({ CommandId: mixed, Details: true }));
  expect(early.CommandInvocations).toEqual([]);

  const complete = await list([{ key: 'ExecutionStage', value: 'Complete' }]);
  expect(complete.commands.map((c) => c.CommandId)).toEqual([mixed, before]);
  const executing = await list([{ key: 'ExecutionStage', value: 'Executing' }]);
  expect(executing.commands.map((c) => c.CommandId)).toEqual([hanging]);
  const failed = await list([{ key: 'Status', value: 'Failed' }]);
  expect(failed.commands.map((c) => c.CommandId)).toEqual([mixed]);
  expect((await list([{ key: 'DocumentName', value: 'AWS-RunPowerShellScript' }])).commands).toEqual([]);

  await expect(ssm.send(new ListCommandsCommand({ Filters: [{ key: 'ExecutionStage', value: 'Done' }] }))).rejects.toMatchObject({
    name: 'InvalidFilterValue',
  });
  await expect(ssm.send(new ListCommandsCommand({ MaxResults: 51 }))).rejects.toBeDefined();
});
