/** The progress line, in virtual time: what shows, when, and that it leaves a clean line behind. */
import type { RunEvent } from '../../src/fleet/run-events.js';
import { progressLine, REDRAW_MS, WAITING_AFTER_MS, type ProgressClock } from '../../src/cli/progress.js';
import type { LogLevel } from '../../src/util/log-levels.js';
import { writeStderrLine } from '../../src/util/stderr-line.js';

class FakeClock implements ProgressClock {
  private time = 1_000_000;
  private readonly timers = new Set<{ every: number; next: number; tick: () => void }>();
  now(): number {
    return this.time;
  }
  every(ms: number, tick: () => void): () => void {
    const timer = { every: ms, next: this.time + ms, tick };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.time = due.next;
      due.next += due.every;
      due.tick();
    }
    this.time = end;
  }
  get ticking(): number {
    return this.timers.size;
  }
}

/** stderr as a terminal (or not) of `columns` columns, keeping every write. */
function terminal(isTTY: boolean, columns = 200) {
  const writes: string[] = [];
  return { stream: { isTTY, columns, write: (text: string) => writes.push(text) }, writes };
}

/** What a terminal shows after these writes, line by line (\r returns, ESC[K clears to the end of the line, \n moves down). */
function screen(writes: string[]): string[] {
  const lines = [''];
  for (const text of writes) {
    // eslint-disable-next-line no-control-regex -- ESC[K is the terminal sequence under test
    for (const part of text.split(/(\r|\u001b\[K|\n)/)) {
      if (part === '\n') lines.push('');
      else if (part === '\r' || part === '\u001b[K') lines[lines.length - 1] = '';
      else lines[lines.length - 1] += part;
    }
  }
  return lines;
}
const screenLine = (writes: string[]) => screen(writes).at(-1)!;

const ids = (n: number) => Array.from({ length: n }, (_, k) => `i-${String(k).padStart(17, '0')}`);
const finished = (instanceId: string, status: 'Success' | 'Failed' | 'TimedOut' = 'Success', stdoutComplete = true): RunEvent =>
  ({ kind: 'finished', instanceId, status, stdoutComplete });

const started: { stop(): void }[] = [];
afterEach(() => started.splice(0).forEach((line) => line.stop())); // a line left running would keep holding stderr

function running(logLevel: LogLevel = 'info', isTTY = true, columns = 200) {
  const clock = new FakeClock();
  const { stream, writes } = terminal(isTTY, columns);
  const line = progressLine(stream, logLevel, clock);
  line?.start();
  if (line) started.push(line);
  return { clock, writes, line };
}

describe('progressLine: when it shows', () => {
  it.each(['info', 'debug', 'trace'] as const)('shows on a terminal at --log-level %s', (level) => {
    expect(running(level).line).toBeDefined();
  });

  it.each(['warn', 'error', 'fatal', 'silent'] as const)('shows nothing at --log-level %s', (level) => {
    expect(running(level).line).toBeUndefined();
  });

  it('shows nothing when stderr is not a terminal (a pipe, a CI log)', () => {
    expect(running('info', false).line).toBeUndefined();
  });
});

describe('the line', () => {
  it('counts instances done of the total and the probes that can only be ERROR', () => {
    const { clock, writes, line } = running();
    const all = ids(5);
    line!.onProgress({ kind: 'started', instanceIds: all });
    line!.onProgress({ kind: 'sent', instanceIds: all });
    line!.onProgress(finished(all[0]));
    line!.onProgress(finished(all[1], 'Failed'));
    line!.onProgress(finished(all[2], 'Success', false)); // cut output: ERROR in the report
    clock.advance(REDRAW_MS);
    expect(screenLine(writes)).toBe('3/5 done, 2 ERROR');
  });

  it('draws nothing before the run knows its instances (discovery)', () => {
    const { clock, writes } = running();
    clock.advance(5_000);
    expect(writes).toEqual([]);
  });

  it('redraws in place at most every 250 ms, and only when the text changed', () => {
    const { clock, writes, line } = running();
    const all = ids(100);
    line!.onProgress({ kind: 'started', instanceIds: all });
    for (const id of all.slice(0, 50)) line!.onProgress(finished(id));
    expect(writes).toEqual([]); // events alone never write
    clock.advance(REDRAW_MS);
    expect(writes).toEqual(['\r\u001b[K50/100 done, 0 ERROR']);
    clock.advance(REDRAW_MS * 4);
    expect(writes).toHaveLength(1); // nothing changed: no redraw
    for (const id of all.slice(50, 60)) line!.onProgress(finished(id));
    clock.advance(REDRAW_MS);
    expect(writes).toEqual(['\r\u001b[K50/100 done, 0 ERROR', '\r\u001b[K60/100 done, 0 ERROR']);
    expect(writes.every((w) => w.startsWith('\r\u001b[K') && !w.includes('\n'))).toBe(true);
  });

  it('after 10 s names how many still wait and the one waiting longest, with its last SSM status and age', () => {
    const { clock, writes, line } = running();
    const all = ids(4);
    line!.onProgress({ kind: 'started', instanceIds: all });
    line!.onProgress({ kind: 'sent', instanceIds: all.slice(0, 2) });
    clock.advance(3_000);
    line!.onProgress({ kind: 'sent', instanceIds: all.slice(2) });
    line!.onProgress(finished(all[0]));
    clock.advance(WAITING_AFTER_MS - 3_000 - REDRAW_MS);
    expect(screenLine(writes)).toBe('1/4 done, 0 ERROR');
    line!.onProgress({ kind: 'status', instanceId: all[1], status: 'InProgress' });
    clock.advance(REDRAW_MS);
    expect(screenLine(writes)).toBe(`1/4 done, 0 ERROR, waiting on 3 (slowest: ${all[1]} InProgress 10 s)`);
    clock.advance(38_000);
    expect(screenLine(writes)).toBe(`1/4 done, 0 ERROR, waiting on 3 (slowest: ${all[1]} InProgress 48 s)`);
    line!.onProgress(finished(all[1], 'TimedOut'));
    clock.advance(REDRAW_MS);
    expect(screenLine(writes)).toBe(`2/4 done, 1 ERROR, waiting on 2 (slowest: ${all[2]} sent 45 s)`);
  });

  it('adds up runs that start separately (one per account and region)', () => {
    const { clock, writes, line } = running();
    line!.onProgress({ kind: 'started', instanceIds: ids(3) });
    line!.onProgress({ kind: 'started', instanceIds: ['i-other'] });
    line!.onProgress(finished('i-other'));
    clock.advance(REDRAW_MS);
    expect(screenLine(writes)).toBe('1/4 done, 0 ERROR');
  });

  it('fits the terminal: one column short of its width, cut with an ellipsis, never wrapped', () => {
    const { clock, writes, line } = running('info', true, 40);
    const all = ids(3);
    line!.onProgress({ kind: 'started', instanceIds: all });
    clock.advance(WAITING_AFTER_MS);
    const shown = screenLine(writes);
    expect(shown).toHaveLength(39);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('escapes what it shows from SSM', () => {
    const { clock, writes, line } = running();
    line!.onProgress({ kind: 'started', instanceIds: ['i-a'] });
    line!.onProgress({ kind: 'status', instanceId: 'i-a', status: 'In\u001b[2JProgress' });
    clock.advance(WAITING_AFTER_MS);
    expect(writes.join('')).not.toContain('\u001b[2J');
  });
});

describe('log lines while the line shows', () => {
  it('go above it: the line is cleared first and redrawn after, never glued to a log line', () => {
    const { clock, writes, line } = running();
    line!.onProgress({ kind: 'started', instanceIds: ids(3) });
    clock.advance(REDRAW_MS);
    writeStderrLine('[04:30:00.000] INFO: command sent\n', { write: (text: string) => writes.push(text) });
    expect(screen(writes)).toEqual(['[04:30:00.000] INFO: command sent', '0/3 done, 0 ERROR']);
    line!.stop();
    writeStderrLine('after the run\n', { write: (text: string) => writes.push(text) });
    expect(screen(writes)).toEqual(['[04:30:00.000] INFO: command sent', 'after the run', '']);
  });
});

describe('the end of the run', () => {
  it('clears the line and stops redrawing, so the report starts on a clean line', () => {
    const { clock, writes, line } = running();
    line!.onProgress({ kind: 'started', instanceIds: ids(2) });
    clock.advance(REDRAW_MS);
    line!.stop();
    expect(writes.at(-1)).toBe('\r\u001b[K');
    expect(screenLine(writes)).toBe('');
    expect(clock.ticking).toBe(0);
    const count = writes.length;
    line!.onProgress(finished(ids(2)[0]));
    clock.advance(WAITING_AFTER_MS);
    line!.stop();
    expect(writes).toHaveLength(count);
  });

  it('writes nothing at all when it never drew', () => {
    const { writes, line } = running();
    line!.stop();
    expect(writes).toEqual([]);
  });
});
