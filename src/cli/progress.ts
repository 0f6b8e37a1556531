/**
 * The audit's progress line on stderr, redrawn in place while the probes run:
 *
 *   412/500 done, 3 ERROR, waiting on 88 (slowest: i-0abc... InProgress 48 s)
 *
 * Only on a terminal and at --log-level info or lower; a pipe, a CI log or
 * --log-level warn get nothing. "ERROR" counts the probes that already ended
 * without a complete output (failed, timed out, undeliverable, cut): those
 * instances are ERROR in the report whatever the checks say. FAIL and WARN are
 * verdicts of the checks, which run once every probe is in (cluster checks
 * need every node), so the line does not guess them. After 10 s it names how
 * many instances are still waiting and the one waiting longest, with the last
 * status SSM gave it.
 */
import cliTruncate from 'cli-truncate';
import type { RunEvent } from '../fleet/run-events.js';
import type { LogLevel } from '../util/log-levels.js';
import { terminalSafe } from '../report/text-safety.js';
import { holdStderrStatusLine } from '../util/stderr-line.js';

/** A stream as Node gives stderr: a TTY has isTTY and columns. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Injectable time: tests drive it virtually. */
export interface ProgressClock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

const systemProgressClock: ProgressClock = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref(); // never what keeps the process alive
    return () => clearInterval(timer);
  },
};

/** At most four redraws a second, and only when the text changed. */
export const REDRAW_MS = 250;
/** From then on the line names the instances still waiting. */
export const WAITING_AFTER_MS = 10_000;
const SHOWN_AT: readonly LogLevel[] = ['info', 'debug', 'trace'];
const CLEAR_LINE = '\r\u001b[K';

/** The progress line for this stream and log level, or undefined when it must not show. */
export function progressLine(stream: ProgressStream, logLevel: LogLevel, clock: ProgressClock = systemProgressClock): ProgressLine | undefined {
  return stream.isTTY && SHOWN_AT.includes(logLevel) ? new ProgressLine(stream, clock) : undefined;
}

interface Waiting {
  /** When it was queued, then when SendCommand accepted it. */
  since: number;
  status: string;
}

export class ProgressLine {
  private total = 0;
  private done = 0;
  private errors = 0;
  private readonly waiting = new Map<string, Waiting>();
  private startedAt = 0;
  private shown = '';
  private stopTicking?: () => void;

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: ProgressClock,
  ) {}

  /** Give this to the runner (RunOptions.onProgress). */
  readonly onProgress = (event: RunEvent): void => {
    const now = this.clock.now();
    if (event.kind === 'started') {
      this.total += event.instanceIds.length;
      for (const id of event.instanceIds) this.waiting.set(id, { since: now, status: 'not sent yet' });
    } else if (event.kind === 'sent') {
      for (const id of event.instanceIds) {
        const entry = this.waiting.get(id);
        if (entry) Object.assign(entry, { since: now, status: 'sent' });
      }
    } else if (event.kind === 'status') {
      const entry = this.waiting.get(event.instanceId);
      if (entry) entry.status = event.status;
    } else if (this.waiting.delete(event.instanceId)) {
      this.done += 1;
      if (event.status !== 'Success' || !event.stdoutComplete) this.errors += 1;
    }
  };

  /** Starts redrawing; until stop(), log lines on stderr are written above the line (src/util/stderr-line.ts). */
  start(): void {
    if (this.stopTicking) return;
    this.startedAt = this.clock.now();
    const stopTicking = this.clock.every(REDRAW_MS, () => this.redraw());
    const release = holdStderrStatusLine({ clear: () => this.clear(), redraw: () => this.redraw() });
    this.stopTicking = () => {
      stopTicking();
      release();
    };
  }

  /** Stops redrawing and clears the line, so what follows (the report) starts on a clean line. Safe to call twice. */
  stop(): void {
    this.stopTicking?.();
    this.stopTicking = undefined;
    this.clear();
  }

  /** The line as it reads now; empty before the run knows its instances. */
  text(): string {
    if (this.total === 0) return '';
    const parts = [`${this.done}/${this.total} done`, `${this.errors} ERROR`];
    const elapsed = this.clock.now() - this.startedAt;
    const slowest = elapsed >= WAITING_AFTER_MS ? this.slowest() : undefined;
    if (slowest) {
      const seconds = Math.floor((this.clock.now() - slowest.since) / 1000);
      parts.push(`waiting on ${this.waiting.size} (slowest: ${terminalSafe(slowest.id)} ${terminalSafe(slowest.status)} ${seconds} s)`);
    }
    return parts.join(', ');
  }

  private clear(): void {
    if (this.shown !== '') this.stream.write(CLEAR_LINE);
    this.shown = '';
  }

  private redraw(): void {
    const text = this.fitted(this.text());
    if (text === this.shown) return;
    this.stream.write(`${CLEAR_LINE}${text}`);
    this.shown = text;
  }

  /** One column short of the width: a line that fills the last column makes some terminals wrap, and \r then redraws the wrong line. */
  private fitted(text: string): string {
    const columns = this.stream.columns;
    return columns !== undefined && columns > 1 ? cliTruncate(text, columns - 1) : text;
  }

  private slowest(): (Waiting & { id: string }) | undefined {
    let found: (Waiting & { id: string }) | undefined;
    for (const [id, entry] of this.waiting) if (!found || entry.since < found.since) found = { id, ...entry };
    return found;
  }
}
