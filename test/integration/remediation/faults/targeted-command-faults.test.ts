/**
 * faults.failCommands through the real SDK: only commands containing the
 * text fail, exactly `times` times, in the way chosen; a "Failed" command
 * never runs (its side effect, a file, does not appear).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { CommandFault } from '../../../../packages/sandbox/src/fleet-file-types.js';
import { INJECTED_FAILURE_MESSAGE } from '../../../../packages/sandbox/src/endpoint/ssm/command-faults.js';
import { startEndpoint, type RunningEndpoint } from '../../../../packages/sandbox/src/endpoint/server.js';
import { SANDBOX_CREDENTIALS } from '../../cli-runner.js';
import { ONLINE, testFleet } from '../../endpoint/fixtures.js';

const started: RunningEndpoint[] = [];
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fail-commands-'));
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function ssmWith(failCommands: CommandFault[]): Promise<SSMClient> {
  const endpoint = await startEndpoint({ fleet: testFleet({ faults: { consistencyDelayMs: 0, failCommands } }) });
  started.push(endpoint);
  return new SSMClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 });
}

/** Sends `touch FILE` (plus a marker) and waits for its final status; a rejected SendCommand gives the error name. */
async function run(ssm: SSMClient, marker: string, file: string): Promise<{ status: string; code?: number; stderr?: string }> {
  let commandId: string;
  try {
    const sent = await ssm.send(
      new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [ONLINE], Parameters: { commands: [`# ${marker}`, `touch '${file}'`] } }),
    );
    commandId = sent.Command!.CommandId!;
  } catch (err) {
    return { status: (err as Error).name };
  }
  for (;;) {
    const got = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: ONLINE }));
    if (!['Pending', 'InProgress'].includes(got.Status!)) return { status: got.Status!, code: got.ResponseCode, stderr: got.StandardErrorContent };
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('faults.failCommands', () => {
  it('"Failed": the matching command ends Failed without running, the next one and other commands run', async () => {
    const ssm = await ssmWith([{ match: 'step-7', as: 'Failed' }]);
    expect(await run(ssm, 'step-3', join(dir, 'a'))).toMatchObject({ status: 'Success', code: 0 });
    expect(await run(ssm, 'step-7', join(dir, 'b'))).toEqual({ status: 'Failed', code: -1, stderr: INJECTED_FAILURE_MESSAGE });
    expect(existsSync(join(dir, 'b'))).toBe(false);
    expect(await run(ssm, 'step-7', join(dir, 'c'))).toMatchObject({ status: 'Success', code: 0 });
    expect([existsSync(join(dir, 'a')), existsSync(join(dir, 'c'))]).toEqual([true, true]);
    ssm.destroy();
  });

  it('error kinds reject SendCommand `times` times with the AWS error, and nothing runs', async () => {
    const ssm = await ssmWith([
      { match: 'throttled', as: 'ThrottlingException', times: 2 },
      { match: 'broken', as: 'InternalServerError' },
    ]);
    expect(await run(ssm, 'throttled', join(dir, 't1'))).toEqual({ status: 'ThrottlingException' });
    expect(await run(ssm, 'throttled', join(dir, 't2'))).toEqual({ status: 'ThrottlingException' });
    expect(await run(ssm, 'broken', join(dir, 'b1'))).toEqual({ status: 'InternalServerError' });
    expect([existsSync(join(dir, 't1')), existsSync(join(dir, 't2')), existsSync(join(dir, 'b1'))]).toEqual([false, false, false]);
    expect(await run(ssm, 'throttled', join(dir, 't3'))).toMatchObject({ status: 'Success' });
    ssm.destroy();
  });
});
