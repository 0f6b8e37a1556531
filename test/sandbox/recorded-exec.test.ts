/**
 * The recorded executor of the fleet file: `exec.recorded` answers every step
 * after a seeded runtime from `exec.runtimeMs`, without starting a process.
 * Validation is strict (a recorded answer cannot carry netns/env it would ignore).
 */
import { ListCommandInvocationsCommand, SendCommandCommand, SSMClient, type CommandInvocation } from '@aws-sdk/client-ssm';
import { UsageError } from '../../src/errors.js';
import { startEndpoint, type RunningEndpoint } from '../../packages/sandbox/src/endpoint/server.js';
import type { FleetFile } from '../../packages/sandbox/src/fleet-file-types.js';
import { parseFleetFile } from '../../packages/sandbox/src/fleet-file.js';

const OK = 'i-0000000000000000a';
const FAILING = 'i-0000000000000000b';
const SLOW = 'i-0000000000000000c';

function fleet(): FleetFile {
  const agent = { pingStatus: 'Online' as const, platform: 'Linux' as const };
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    instances: [
      { instanceId: OK, agent, exec: { recorded: { stdout: 'recorded out', stderr: '', code: 0 }, runtimeMs: [300, 400] } },
      { instanceId: FAILING, agent, exec: { recorded: { stdout: 'partial', stderr: 'boom', code: 3 }, runtimeMs: [300, 400] } },
      { instanceId: SLOW, agent, exec: { recorded: { stdout: 'late', stderr: '', code: 0 }, runtimeMs: [5_000, 5_000] } },
    ],
  };
}

function rejection(mutate: (f: any) => void): string {
  const f: any = fleet();
  mutate(f);
  try {
    parseFleetFile(f);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected the fleet file to be rejected');
}

describe('fleet file exec.recorded', () => {
  it('accepts a recorded result with a runtime range unchanged', () => {
    expect(parseFleetFile(fleet())).toEqual(fleet());
  });

  it.each([
    ['a missing code', (f: any) => delete f.instances[0].exec.recorded.code, 'instances[0].exec.recorded.code: is required'],
    ['a code that is no exit status', (f: any) => (f.instances[0].exec.recorded.code = 256), 'instances[0].exec.recorded.code: must be between 0 and 255'],
    ['an unknown field', (f: any) => (f.instances[0].exec.recorded.exit = 0), 'instances[0].exec.recorded.exit: unknown field'],
    ['a runtime of one number', (f: any) => (f.instances[0].exec.runtimeMs = [5]), 'instances[0].exec.runtimeMs: must be [min, max]'],
    ['a runtime range upside down', (f: any) => (f.instances[0].exec.runtimeMs = [9, 2]), 'instances[0].exec.runtimeMs: max 2 is below min 9'],
    ['a runtime without a recording', (f: any) => delete f.instances[0].exec.recorded, 'instances[0].exec.runtimeMs: needs recorded'],
    ['a recording with a namespace', (f: any) => (f.instances[0].exec.netns = 'n1'), 'instances[0].exec.recorded: cannot be combined with netns or env'],
  ])('rejects %s naming the path', (_name, mutate, expected) => {
    expect(rejection(mutate)).toContain(expected);
  });
});

describe('the endpoint answers recorded instances', () => {
  let endpoint: RunningEndpoint;
  let ssm: SSMClient;

  beforeAll(async () => {
    endpoint = await startEndpoint({ fleet: parseFleetFile(fleet()) });
    ssm = new SSMClient({
      endpoint: endpoint.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDRECORDED', secretAccessKey: 'recorded' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    ssm?.destroy();
    await endpoint?.close();
  });

  async function invocations(commandId: string): Promise<Map<string, CommandInvocation>> {
    const answer = await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }));
    return new Map((answer.CommandInvocations ?? []).map((i) => [i.InstanceId!, i]));
  }

  it('after the drawn runtime, with the recorded output and exit code, and no process', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [OK, FAILING, SLOW], Parameters: { commands: ['exit 99'] } }),
    );
    const commandId = sent.Command!.CommandId!;
    await new Promise((resolve) => setTimeout(resolve, 250));
    const early = await invocations(commandId);
    expect(early.get(OK)?.Status).toBe('InProgress');

    await new Promise((resolve) => setTimeout(resolve, 600));
    const later = await invocations(commandId);
    expect(later.get(OK)).toMatchObject({ Status: 'Success', CommandPlugins: [{ ResponseCode: 0, Output: 'recorded out' }] });
    expect(later.get(FAILING)).toMatchObject({
      Status: 'Failed',
      CommandPlugins: [{ ResponseCode: 3, Output: 'partial\n----------ERROR-------\nboom' }],
    });
    expect(later.get(SLOW)?.Status).toBe('InProgress');
    const stats = endpoint.stats();
    expect(stats.maxConcurrentObserved).toBe(0);
    expect(stats.commandsRunning + stats.commandsQueued).toBe(0);
  });
});
