import type { SendCommandCommandInput } from '@aws-sdk/client-ssm';
import { AwsError, UsageError } from '../../src/errors.js';
import type { CommandOutcome, CommandSpec } from '../../src/fleet/outcome.js';
import { runCommand, type RunOptions } from '../../src/fleet/runner.js';
import { ssmError } from './helpers/aws-errors.js';
import { FakeS3 } from './helpers/fake-s3.js';
import { FakeSsm, type InstanceScript } from './helpers/fake-ssm.js';
import { seededRandom, VirtualClock } from './helpers/virtual-clock.js';

const SHELL: CommandSpec = { kind: 'shell', commands: ['echo hello'] };
const ids = (n: number, prefix = 'i-') => Array.from({ length: n }, (_, k) => `${prefix}${String(k).padStart(17, '0')}`);

function setup(script: (id: string) => InstanceScript = () => ({ stdout: 'ok\n' }), latencyMs = 20) {
  const clock = new VirtualClock();
  const ssm = new FakeSsm(clock, script, latencyMs);
  const run = (instanceIds: string[], opts: Partial<RunOptions> = {}, spec: CommandSpec = SHELL) =>
    runCommand({ ssm, clock, random: seededRandom(7) }, instanceIds, spec, { concurrency: 8, timeoutMs: 120_000, ...opts });
  return { clock, ssm, run };
}

function only(outcomes: Map<string, CommandOutcome>, id: string): CommandOutcome {
  const outcome = outcomes.get(id);
  if (!outcome) throw new Error(`no outcome for ${id}`);
  return outcome;
}

describe('runCommand batching', () => {
  it('sends 120 instances as 3 batches, each holding only its own ids, and returns one outcome each in input order', async () => {
    const { ssm, run } = setup();
    const targets = ids(120);
    const outcomes = await run(targets);

    const batches = ssm.callsOf('SendCommand').map((c) => (c.input as SendCommandCommandInput).InstanceIds!);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(targets);
    expect(new Set(batches.flat()).size).toBe(120);
    expect([...outcomes.keys()]).toEqual(targets);
    for (const o of outcomes.values()) {
      expect(o).toMatchObject({ status: 'Success', stdout: 'ok\n', stderr: '', stdoutComplete: true, responseCode: 0 });
      expect(o.commandId).toMatch(/^cmd-/);
    }
  });

  it('gives duplicated ids a single outcome and sends them once', async () => {
    const { ssm, run } = setup();
    const outcomes = await run(['i-a', 'i-b', 'i-a']);
    expect([...outcomes.keys()]).toEqual(['i-a', 'i-b']);
    expect((ssm.callsOf('SendCommand')[0].input as SendCommandCommandInput).InstanceIds).toEqual(['i-a', 'i-b']);
  });

  it('builds a SendCommand that keeps delivering after errors and respects AWS limits', async () => {
    const { ssm, run } = setup();
    await run(['i-a'], { timeoutMs: 10_000, comment: 'x'.repeat(150) }, { kind: 'shell', commands: ['a', 'b'], executionTimeoutSeconds: 90 });
    const input = ssm.callsOf('SendCommand')[0].input as SendCommandCommandInput;
    expect(input).toMatchObject({
      DocumentName: 'AWS-RunShellScript',
      Parameters: { commands: ['a', 'b'], executionTimeout: ['90'] },
      TimeoutSeconds: 30, // AWS minimum, although the run has 10 s
      MaxErrors: '100%',
      MaxConcurrency: '100%',
    });
    expect(input.Comment).toHaveLength(100);
  });

  it('runs a named document with its parameters', async () => {
    const { ssm, run } = setup();
    await run(['i-a'], { outputS3Bucket: 'bucket-1' }, { kind: 'document', documentName: 'SwarmAuditProbe', parameters: { mode: ['read'] } });
    const input = ssm.callsOf('SendCommand')[0].input as SendCommandCommandInput;
    expect(input).toMatchObject({ DocumentName: 'SwarmAuditProbe', Parameters: { mode: ['read'] }, OutputS3BucketName: 'bucket-1' });
    expect(input.TimeoutSeconds).toBe(120);
  });

  it('keeps AWS calls in flight within the concurrency', async () => {
    const { ssm, run } = setup(() => ({ stdout: 'x', runMs: 3_000 }));
    const outcomes = await run(ids(1_000), { concurrency: 4 });
    expect(ssm.maxInFlight).toBeLessThanOrEqual(4);
    expect(ssm.maxInFlight).toBe(4);
    expect([...outcomes.values()].every((o) => o.status === 'Success')).toBe(true);
  });

  it('returns an empty map for no instances, without calling AWS', async () => {
    const { ssm, run } = setup();
    expect((await run([])).size).toBe(0);
    expect(ssm.calls).toHaveLength(0);
  });

  it('rejects bad options with a UsageError', async () => {
    const { run } = setup();
    await expect(run(['i-a'], { concurrency: 0 })).rejects.toBeInstanceOf(UsageError);
    await expect(run(['i-a'], { timeoutMs: -1 })).rejects.toBeInstanceOf(UsageError);
    await expect(run([''])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['i-a'], {}, { kind: 'shell', commands: [] })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('runCommand polling', () => {
  it('reads a command again when ListCommands reports it finished before its invocations are listable', async () => {
    const { ssm, run } = setup(() => ({ stdout: 'late\n', visibleAfterMs: 4_000, runMs: 1_000 }));
    const outcomes = await run(ids(3));
    expect([...outcomes.values()].map((o) => [o.status, o.stdout])).toEqual([
      ['Success', 'late\n'],
      ['Success', 'late\n'],
      ['Success', 'late\n'],
    ]);
    const reads = ssm.callsOf('ListCommandInvocations');
    expect(reads[0].at).toBeGreaterThanOrEqual(1_000);
    expect(reads[0].at).toBeLessThan(4_000);
    expect(reads.length).toBeGreaterThan(1);
    expect(reads.at(-1)!.at).toBeGreaterThanOrEqual(4_000);
  });

  it('learns which commands finished from ListCommands and reads each finished command once', async () => {
    const { ssm, run } = setup((id) => ({ stdout: 'small', runMs: 2_000 + (Number(id.slice(-3)) % 4) * 1_000 }));
    const outcomes = await run(ids(200));
    expect([...outcomes.values()].every((o) => o.status === 'Success' && o.stdout === 'small')).toBe(true);
    const reads = ssm.callsOf('ListCommandInvocations');
    expect(reads.map((c) => (c.input as { CommandId: string }).CommandId).sort()).toEqual(['cmd-0001', 'cmd-0002', 'cmd-0003', 'cmd-0004']);
    // Every batch holds instances running 5 s: no command is worth reading before then.
    expect(Math.min(...reads.map((c) => c.at))).toBeGreaterThanOrEqual(5_000);
    const listings = ssm.callsOf('ListCommands');
    expect(listings.length).toBeLessThan(25);
    for (const call of listings) {
      expect(call.input).toMatchObject({
        MaxResults: 50,
        Filters: [{ key: 'InvokedAfter', value: '1969-12-31T23:59:59Z' }, { key: 'DocumentName', value: 'AWS-RunShellScript' }],
      });
    }
  });

  it('follows every ListCommands page until it has seen each open command', async () => {
    const { ssm, run } = setup(() => ({ stdout: 'p', runMs: 1_500 }));
    ssm.listPageCap = 1;
    const outcomes = await run(ids(150));
    expect([...outcomes.values()].every((o) => o.status === 'Success')).toBe(true);
    const tokens = ssm.callsOf('ListCommands').map((c) => (c.input as { NextToken?: string }).NextToken);
    expect(tokens).toEqual(expect.arrayContaining(['1', '2']));
  });

  it('lists from its own send time, less a skew margin, when SSM gives no RequestedDateTime', async () => {
    const clock = new VirtualClock(3_600_000);
    const ssm = new FakeSsm(clock, () => ({ stdout: 'p' }));
    ssm.omitRequestedDateTime = true;
    const outcomes = await runCommand({ ssm, clock, random: seededRandom(7) }, ids(2), SHELL, { concurrency: 8, timeoutMs: 120_000 });
    expect([...outcomes.values()].map((o) => o.status)).toEqual(['Success', 'Success']);
    expect(ssm.callsOf('ListCommands')[0].input).toMatchObject({ Filters: [{ key: 'InvokedAfter', value: '1970-01-01T00:54:59Z' }, {}] });
  });

  it('keeps the results of a command whose last instance hangs (a read once the command is quiet)', async () => {
    const { ssm, run } = setup((id) => (id.endsWith('07') ? { runMs: Infinity } : { stdout: 'ok', runMs: 1_000 }));
    const outcomes = await run(ids(50), { timeoutMs: 120_000, stallReadMs: 10_000 });
    const statuses = [...outcomes.values()].map((o) => o.status);
    expect(statuses.filter((s) => s === 'Success')).toHaveLength(49);
    expect(only(outcomes, ids(50)[7])).toMatchObject({ status: 'RunnerTimedOut', statusDetails: 'InProgress' });
    // Quiet reads come once per stallReadMs, not every poll round.
    expect(ssm.callsOf('ListCommandInvocations').length).toBeLessThanOrEqual(13);
  });

  it('absorbs a failing ListCommands and keeps polling', async () => {
    const { ssm, run } = setup(() => ({ stdout: 'ok' }));
    let failures = 4;
    ssm.failListCommands = () => (failures-- > 0 ? ssmError('InternalServerError', 500) : undefined);
    const outcomes = await run(ids(3));
    expect([...outcomes.values()].map((o) => o.status)).toEqual(['Success', 'Success', 'Success']);
  });

  it('reads every page of ListCommandInvocations', async () => {
    const { ssm, run } = setup(() => ({ stdout: 'p' }));
    ssm.listPageCap = 7;
    const outcomes = await run(ids(50));
    expect([...outcomes.values()].every((o) => o.status === 'Success' && o.stdout === 'p')).toBe(true);
    const tokens = ssm.callsOf('ListCommandInvocations').map((c) => (c.input as { NextToken?: string }).NextToken);
    expect(tokens).toContain('49');
  });

  it('reads invocations with details per command, never GetCommandInvocation per instance', async () => {
    const { ssm, run } = setup(() => ({ stdout: 'small' }));
    await run(ids(200));
    expect(ssm.callsOf('GetCommandInvocation')).toHaveLength(0);
    for (const call of ssm.callsOf('ListCommandInvocations')) {
      expect(call.input).toMatchObject({ Details: true, MaxResults: 50 });
    }
  });

  it('backs the poll interval off while nothing changes', async () => {
    const { ssm, clock, run } = setup(() => ({ stdout: 'slow', runMs: 60_000 }));
    await run(ids(10));
    expect(clock.now()).toBeGreaterThanOrEqual(60_000);
    // A fixed 500 ms interval would need ~120 polls.
    expect(ssm.callsOf('ListCommandInvocations').length).toBeLessThan(25);
  });

  it('fetches GetCommandInvocation until the invocation exists there too', async () => {
    const big = 'b'.repeat(4_000);
    const { ssm, run } = setup(() => ({ stdout: big, getNotExistTimes: 3 }));
    const o = only(await run(['i-a']), 'i-a');
    expect(o).toMatchObject({ status: 'Success', stdout: big, stdoutComplete: true });
    expect(ssm.callsOf('GetCommandInvocation')).toHaveLength(4);
  });
});

describe('runCommand outputs', () => {
  it('splits a short plugin output back into stdout and stderr', async () => {
    const { run } = setup(() => ({ stdout: 'out\nline', stderr: 'warn: x', final: { status: 'Success', exitCode: 0 } }));
    expect(only(await run(['i-a']), 'i-a')).toMatchObject({ stdout: 'out\nline', stderr: 'warn: x', stdoutComplete: true });
  });

  it('reads stderr-only output', async () => {
    const { run } = setup(() => ({ stdout: '', stderr: 'only err' }));
    expect(only(await run(['i-a']), 'i-a')).toMatchObject({ stdout: '', stderr: 'only err' });
  });

  it('fetches the full output when the 2,500-character list output is cut', async () => {
    const stdout = 'a'.repeat(3_000) + 'END';
    const { ssm, run } = setup(() => ({ stdout, stderr: 'e' }));
    const o = only(await run(['i-a']), 'i-a');
    expect(o).toMatchObject({ status: 'Success', stdout, stderr: 'e', stdoutComplete: true });
    expect(o.error).toBeUndefined();
    expect(ssm.callsOf('GetCommandInvocation')[0].input).toMatchObject({ InstanceId: 'i-a', PluginName: 'aws:runShellScript' });
  });

  it('fetches the full stderr when only stderr was cut', async () => {
    const stderr = 'e'.repeat(5_000);
    const { run } = setup(() => ({ stdout: 'short', stderr, final: { status: 'Failed', exitCode: 2 } }));
    expect(only(await run(['i-a']), 'i-a')).toMatchObject({ status: 'Failed', stdout: 'short', stderr, responseCode: 2 });
  });

  it('marks stdout incomplete beyond the 24,000-character Get limit, never complete', async () => {
    const { run } = setup(() => ({ stdout: 'z'.repeat(30_000) }));
    const o = only(await run(['i-a'], { outputS3Bucket: 'audit-out' }), 'i-a');
    expect(o.status).toBe('Success');
    expect(o.stdoutComplete).toBe(false);
    expect(o.stdout.length).toBeLessThan(30_000);
    expect(o.error).toMatch(/24000 characters.*s3:\/\/audit-out/);
  });

  describe('past the 24,000-character Get limit, with --output-s3-bucket', () => {
    const whole = 'z'.repeat(30_000);
    const key = 'cmd-0001/i-a/awsrunShellScript/0.awsrunShellScript/stdout';
    const runWithS3 = (s3: FakeS3 | undefined, outputS3Bucket?: string) => {
      const clock = new VirtualClock();
      const ssm = new FakeSsm(clock, () => ({ stdout: whole }));
      const deps = { ssm, clock, random: seededRandom(7), ...(s3 ? { s3 } : {}) };
      return runCommand(deps, ['i-a'], SHELL, { concurrency: 4, timeoutMs: 120_000, outputS3Bucket }).then((o) => only(o, 'i-a'));
    };

    it('reads the whole stdout from S3, waiting for the upload', async () => {
      const s3 = new FakeS3({ [key]: whole });
      s3.hiddenListings = 2;
      const o = await runWithS3(s3, 'audit-out');
      expect(o).toMatchObject({ status: 'Success', stdoutComplete: true });
      expect(o.stdout).toBe(whole);
      expect(o.error).toBeUndefined();
      expect(s3.listed.map((l) => [l.Bucket, l.Prefix])).toEqual(Array(3).fill(['audit-out', 'cmd-0001/i-a/']));
    });

    it('keeps the output incomplete, naming the S3 location and the error, when S3 refuses', async () => {
      const s3 = new FakeS3({ [key]: whole });
      s3.failure = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      const o = await runWithS3(s3, 'audit-out');
      expect(o).toMatchObject({ status: 'Success', stdoutComplete: false });
      expect(o.error).toMatch(/reading it from S3 failed: s3:\/\/audit-out\/cmd-0001\/i-a\/: AccessDenied/);
    });

    it('without a bucket, names the flag to add', async () => {
      const o = await runWithS3(new FakeS3({}), undefined);
      expect(o.stdoutComplete).toBe(false);
      expect(o.error).toContain('add --output-s3-bucket BUCKET so SSM writes the full output there and swarm-audit reads it');
    });
  });

  it('treats an output whose separators are ambiguous as cut and asks Get', async () => {
    const stdout = 'x\n----------ERROR-------\ny';
    const { ssm, run } = setup(() => ({ stdout, stderr: 'real error' }));
    const o = only(await run(['i-a']), 'i-a');
    expect(o).toMatchObject({ stdout, stderr: 'real error', stdoutComplete: true });
    expect(ssm.callsOf('GetCommandInvocation')).toHaveLength(1);
  });

  it('keeps the cut output, marked incomplete, when Get keeps failing', async () => {
    const { ssm, run } = setup(() => ({ stdout: 'q'.repeat(3_000), getNotExistTimes: 1_000 }));
    const o = only(await run(['i-a']), 'i-a');
    expect(o.status).toBe('Success');
    expect(o.stdoutComplete).toBe(false);
    expect(o.stdout.startsWith('qqq')).toBe(true);
    expect(o.error).toMatch(/full output is unavailable: GetCommandInvocation failed: InvocationDoesNotExist/);
    expect(ssm.callsOf('GetCommandInvocation').length).toBe(10);
  });
});

describe('runCommand terminal statuses', () => {
  const cases: [string, InstanceScript['final'], Partial<CommandOutcome>, RegExp?][] = [
    ['success', { status: 'Success' }, { status: 'Success', responseCode: 0 }, undefined],
    ['failed', { status: 'Failed', exitCode: 3 }, { status: 'Failed', responseCode: 3, statusDetails: 'Failed' }, /exit code 3/],
    ['cancelled', { status: 'Cancelled' }, { status: 'Cancelled', responseCode: -1 }, /cancelled/],
    ['execution timeout', { status: 'TimedOut', details: 'ExecutionTimedOut', exitCode: 124 }, { status: 'TimedOut', statusDetails: 'ExecutionTimedOut' }, /execution timeout/],
    ['delivery timeout', { status: 'TimedOut', details: 'DeliveryTimedOut' }, { status: 'TimedOut', statusDetails: 'DeliveryTimedOut', responseCode: -1 }, /delivery timeout/],
    ['undeliverable', { status: 'Failed', details: 'Undeliverable', noPlugin: true }, { status: 'Undeliverable', statusDetails: 'Undeliverable' }, /could not deliver/],
    ['invalid platform', { status: 'Failed', details: 'InvalidPlatform' }, { status: 'Undeliverable', statusDetails: 'InvalidPlatform' }, /platform/],
    ['access denied', { status: 'Failed', details: 'AccessDenied' }, { status: 'Undeliverable', statusDetails: 'AccessDenied' }, /denied/],
    ['terminated', { status: 'Failed', details: 'Terminated' }, { status: 'Cancelled', statusDetails: 'Terminated' }, /MaxErrors/],
  ];
  it.each(cases)('maps %s', async (_name, final, expected, error) => {
    const { run } = setup(() => ({ stdout: 'o', final }));
    const o = only(await run(['i-a']), 'i-a');
    expect(o).toMatchObject(expected);
    if (error) expect(o.error).toMatch(error);
    else expect(o.error).toBeUndefined();
  });

  it('ends an invocation stuck in Cancelling after the grace, as Cancelling', async () => {
    const { clock, run } = setup(() => ({ final: { status: 'Cancelling' }, runMs: 1_000 }));
    const o = only(await run(['i-a'], { cancellingGraceMs: 10_000 }), 'i-a');
    expect(o.status).toBe('Cancelling');
    expect(clock.now()).toBeGreaterThanOrEqual(11_000);
    expect(clock.now()).toBeLessThan(30_000);
  });

  it('keeps polling Pending and Delayed invocations', async () => {
    const { run } = setup((id) => ({ waitingStatus: id === 'i-a' ? 'Pending' : 'Delayed', runMs: 8_000, stdout: id }));
    const outcomes = await run(['i-a', 'i-b']);
    expect(only(outcomes, 'i-a')).toMatchObject({ status: 'Success', stdout: 'i-a' });
    expect(only(outcomes, 'i-b')).toMatchObject({ status: 'Success', stdout: 'i-b' });
  });
});

describe('runCommand under throttling and failures', () => {
  it('rides out throttling bursts on every operation', async () => {
    const { ssm, run } = setup(() => ({ stdout: 'c'.repeat(3_000) }));
    ssm.throttleNext.set('SendCommand', 4);
    ssm.throttleNext.set('ListCommandInvocations', 6);
    ssm.throttleNext.set('GetCommandInvocation', 5);
    const outcomes = await run(ids(60));
    expect([...outcomes.values()].every((o) => o.status === 'Success' && o.stdoutComplete)).toBe(true);
    expect(ssm.callsOf('SendCommand').length).toBe(2 + 4);
  });

  it('completes 1,000 instances against a rate-limited SSM', async () => {
    const { ssm, run } = setup(() => ({ stdout: 'r' }));
    ssm.rateLimit = { SendCommand: { perSecond: 2, burst: 2 }, ListCommandInvocations: { perSecond: 5, burst: 5 } };
    const outcomes = await run(ids(1_000), { concurrency: 16 });
    expect(outcomes.size).toBe(1_000);
    expect([...outcomes.values()].filter((o) => o.status !== 'Success')).toEqual([]);
  });

  it('marks only the batch whose SendCommand fails for good as NotSent', async () => {
    const { ssm, run } = setup();
    const targets = ids(120);
    ssm.failSend = (input) => (input.InstanceIds![0] === targets[50] ? ssmError('InvalidDocument', 400, 'bad doc') : undefined);
    const outcomes = await run(targets);
    const notSent = targets.filter((id) => only(outcomes, id).status === 'NotSent');
    expect(notSent).toEqual(targets.slice(50, 100));
    expect(only(outcomes, targets[50]).error).toMatch(/SendCommand failed: .*InvalidDocument/);
    expect(only(outcomes, targets[0]).status).toBe('Success');
    expect(only(outcomes, targets[119]).status).toBe('Success');
  });

  it('isolates an id AWS rejects (InvalidInstanceId) by bisecting its batch, so the others still run', async () => {
    const { ssm, run } = setup();
    const targets = ids(50);
    const bad = targets[37];
    ssm.failSend = (input) => (input.InstanceIds!.includes(bad) ? ssmError('InvalidInstanceId', 400, 'Instances not in a valid state') : undefined);
    const outcomes = await run(targets);
    expect(only(outcomes, bad)).toMatchObject({ status: 'NotSent' });
    expect(only(outcomes, bad).error).toMatch(/InvalidInstanceId/);
    expect(targets.filter((id) => id !== bad).every((id) => only(outcomes, id).status === 'Success')).toBe(true);
    // 1 + 2 per level of a binary search over 50 ids.
    expect(ssm.callsOf('SendCommand').length).toBeLessThanOrEqual(1 + 2 * 6);
    const sentIds = ssm.callsOf('SendCommand').flatMap((c) => (c.input as SendCommandCommandInput).InstanceIds!);
    expect(sentIds.filter((id) => id === targets[0]).length).toBeGreaterThan(1); // resent, but only after a rejection
  });

  it('retries a SendCommand that fails with 5xx, then gives up with NotSent', async () => {
    const { ssm, run } = setup();
    ssm.failSend = () => ssmError('InternalServerError', 500);
    const o = only(await run(['i-a']), 'i-a');
    expect(o).toMatchObject({ status: 'NotSent', responseCode: -1, stdoutComplete: false });
    expect(ssm.callsOf('SendCommand').length).toBe(6);
  });

  it('throws AwsError Credentials when the credentials are refused', async () => {
    const { run, ssm } = setup();
    ssm.failSend = () => ssmError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.');
    await expect(run(ids(3))).rejects.toMatchObject({ name: 'AwsError', code: 'Credentials' });
    await expect(run(ids(3))).rejects.toBeInstanceOf(AwsError);
  });

  it('stops on AccessDenied while polling, after cancelling', async () => {
    const { run, ssm } = setup();
    ssm.failList = () => ssmError('AccessDeniedException', 400, 'not authorized to perform ssm:ListCommandInvocations');
    await expect(run(ids(3))).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(ssm.callsOf('CancelCommand')).toHaveLength(1);
  });
});

describe('runCommand deadline', () => {
  it('cancels and reports RunnerTimedOut for unfinished instances, never past the deadline plus grace', async () => {
    const { ssm, clock, run } = setup((id) => (id.endsWith('1') ? { runMs: Infinity } : { stdout: 'done' }));
    const outcomes = await run(ids(12), { timeoutMs: 20_000, cancelGraceMs: 2_000 });
    expect(clock.now()).toBeGreaterThanOrEqual(20_000);
    expect(clock.now()).toBeLessThanOrEqual(22_000);
    const timedOut = [...outcomes.values()].filter((o) => o.status === 'RunnerTimedOut');
    expect(timedOut.map((o) => o.instanceId)).toEqual(['i-00000000000000001', 'i-00000000000000011']);
    expect(timedOut[0]).toMatchObject({ commandId: 'cmd-0001', statusDetails: 'InProgress', responseCode: -1, stdoutComplete: false });
    expect(timedOut[0].error).toMatch(/deadline of 20 s expired while the invocation was InProgress; cancel requested/);
    expect(ssm.callsOf('CancelCommand').map((c) => c.input)).toEqual([
      { CommandId: 'cmd-0001', InstanceIds: ['i-00000000000000001', 'i-00000000000000011'] },
    ]);
    expect(outcomes.size).toBe(12);
  });

  it('ends at the deadline even when an AWS call never answers', async () => {
    const { ssm, clock, run } = setup();
    ssm.hang.add('ListCommandInvocations');
    ssm.hang.add('CancelCommand');
    const outcomes = await run(ids(3), { timeoutMs: 15_000 });
    expect(clock.now()).toBeLessThanOrEqual(17_000);
    expect([...outcomes.values()].map((o) => o.status)).toEqual(['RunnerTimedOut', 'RunnerTimedOut', 'RunnerTimedOut']);
    expect(only(outcomes, ids(3)[0]).error).toMatch(/while the command was Success, 3 of 3 final; cancel requested/);
  });

  it('reports instances whose SendCommand never answered, and batches never sent', async () => {
    const { ssm, run } = setup();
    ssm.hang.add('SendCommand');
    const outcomes = await run(ids(120), { timeoutMs: 5_000, concurrency: 2 });
    const errors = [...outcomes.values()].map((o) => `${o.status}: ${o.error}`);
    expect(new Set(errors)).toEqual(
      new Set([
        'RunnerTimedOut: the run deadline of 5 s expired while SendCommand was in flight (the command may have started)',
      ]),
    );
  });

  it('gives up on instances SSM never lists, without waiting for the deadline', async () => {
    const { ssm, clock, run } = setup((id) => (id === 'i-ghost' ? { neverListed: true } : { stdout: 'ok' }));
    const outcomes = await run(['i-a', 'i-ghost'], { timeoutMs: 600_000, visibilityTimeoutMs: 30_000 });
    expect(only(outcomes, 'i-a').status).toBe('Success');
    expect(only(outcomes, 'i-ghost')).toMatchObject({ status: 'RunnerTimedOut', commandId: 'cmd-0001' });
    expect(only(outcomes, 'i-ghost').error).toMatch(/listed no invocation/);
    expect(clock.now()).toBeLessThan(60_000);
    expect(ssm.callsOf('CancelCommand')[0].input).toEqual({ CommandId: 'cmd-0001', InstanceIds: ['i-ghost'] });
  });

  it('honours an AbortSignal like the deadline', async () => {
    const { clock, run } = setup(() => ({ runMs: Infinity }));
    const controller = new AbortController();
    void clock.sleep(3_000).then(() => controller.abort());
    const outcomes = await run(ids(2), { signal: controller.signal });
    expect(clock.now()).toBeLessThan(10_000);
    for (const o of outcomes.values()) {
      expect(o.status).toBe('RunnerTimedOut');
      expect(o.error).toMatch(/was aborted/);
    }
  });

  it('names the abort reason (a signal) and cancels the commands still running', async () => {
    const { clock, ssm, run } = setup((id) => (id.endsWith('0') ? { stdout: 'done', runMs: 1_000 } : { runMs: Infinity, waitingStatus: 'InProgress' }));
    const controller = new AbortController();
    void clock.sleep(4_000).then(() => controller.abort(new Error('cancelled by SIGTERM')));
    const outcomes = await run(ids(3), { signal: controller.signal });
    expect(clock.now()).toBeLessThan(8_000);
    expect(only(outcomes, ids(3)[0]).status).toBe('Success');
    for (const id of ids(3).slice(1)) {
      expect(only(outcomes, id)).toMatchObject({ status: 'RunnerTimedOut', commandId: 'cmd-0001', statusDetails: 'InProgress' });
      expect(only(outcomes, id).error).toBe('the run was cancelled by SIGTERM while the invocation was InProgress; cancel requested');
    }
    expect(ssm.callsOf('CancelCommand').map((c) => c.input)).toEqual([{ CommandId: 'cmd-0001', InstanceIds: ids(3).slice(1) }]);
  });

  it('includes the last poll error in the timeout reason', async () => {
    const { ssm, run } = setup();
    ssm.failList = () => ssmError('InvalidCommandId', 400, 'no such command');
    const o = only(await run(['i-a'], { timeoutMs: 10_000 }), 'i-a');
    expect(o.status).toBe('RunnerTimedOut');
    expect(o.error).toMatch(/last poll error: .*InvalidCommandId/);
  });

  it('finishes in real time well within a second for a 2,000-instance run on virtual time', async () => {
    const { run } = setup(() => ({ stdout: 'fast', runMs: 2_000 }));
    const started = Date.now();
    const outcomes = await run(ids(2_000), { concurrency: 16 });
    expect(outcomes.size).toBe(2_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
