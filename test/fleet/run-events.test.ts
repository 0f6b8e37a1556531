/** The runner's progress seam (RunOptions.onProgress): what a progress display is told, in virtual time. */
import type { CommandSpec } from '../../src/fleet/outcome.js';
import type { RunEvent } from '../../src/fleet/run-events.js';
import { runCommand } from '../../src/fleet/runner.js';
import { FakeSsm, type InstanceScript } from './helpers/fake-ssm.js';
import { seededRandom, VirtualClock } from './helpers/virtual-clock.js';

const SHELL: CommandSpec = { kind: 'shell', commands: ['echo hello'] };

function run(ids: string[], script: (id: string) => InstanceScript, onProgress: (event: RunEvent) => void, timeoutMs = 120_000) {
  const clock = new VirtualClock();
  const ssm = new FakeSsm(clock, script, 20);
  return runCommand({ ssm, clock, random: seededRandom(7) }, ids, SHELL, { concurrency: 8, timeoutMs, onProgress });
}

describe('onProgress', () => {
  it('tells the start, each batch sent, statuses that are not final yet, and one finish per instance with its status', async () => {
    const events: RunEvent[] = [];
    const ids = Array.from({ length: 60 }, (_, k) => `i-${String(k).padStart(17, '0')}`);
    const outcomes = await run(
      ids,
      (id) => {
        if (id.endsWith('7')) return { runMs: 5_000, final: { status: 'Failed', exitCode: 1 } };
        // one slow instance: the runner reads its still-running command after 10 s without progress
        return { runMs: id === ids[3] ? 40_000 : 5_000, waitingStatus: 'InProgress', stdout: 'ok\n' };
      },
      (e) => events.push(e),
    );
    expect(events[0]).toEqual({ kind: 'started', instanceIds: ids });
    const sent = events.filter((e) => e.kind === 'sent');
    expect(sent.flatMap((e) => e.instanceIds).sort()).toEqual([...ids].sort());
    expect(sent.map((e) => e.instanceIds.length).sort()).toEqual([10, 50]);
    expect(events).toContainEqual({ kind: 'status', instanceId: ids[3], status: 'InProgress' });
    const finished = events.filter((e) => e.kind === 'finished');
    expect(finished.map((e) => e.instanceId).sort()).toEqual([...ids].sort());
    for (const e of finished) expect(e.status).toBe(outcomes.get(e.instanceId)!.status);
    expect(finished.filter((e) => e.status === 'Failed')).toHaveLength(ids.filter((id) => id.endsWith('7')).length);
    // a status is told once until it changes, and never after the instance finished
    const statusEvents = events.filter((e) => e.kind === 'status');
    expect(new Set(statusEvents.map((e) => `${e.instanceId} ${e.status}`)).size).toBe(statusEvents.length);
    for (const e of statusEvents) {
      const finishedAt = events.findIndex((f) => f.kind === 'finished' && f.instanceId === e.instanceId);
      expect(events.indexOf(e)).toBeLessThan(finishedAt);
    }
  });

  it('tells the instances the deadline ended as finished too (RunnerTimedOut)', async () => {
    const events: RunEvent[] = [];
    await run(['i-a', 'i-b'], (id) => (id === 'i-b' ? { runMs: Infinity, waitingStatus: 'InProgress' } : { stdout: 'ok\n' }), (e) => events.push(e), 30_000);
    const finished = events.filter((e) => e.kind === 'finished');
    expect(finished.map((e) => [e.instanceId, e.status]).sort()).toEqual([['i-a', 'Success'], ['i-b', 'RunnerTimedOut']]);
  });

  it('carries on when the display throws', async () => {
    const outcomes = await run(['i-a', 'i-b'], () => ({ stdout: 'ok\n' }), () => {
      throw new Error('display broken');
    });
    expect([...outcomes.values()].map((o) => o.status)).toEqual(['Success', 'Success']);
  });
});
