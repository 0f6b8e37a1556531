/**
 * A pino logger for the product code that keeps no lines, only counts: our
 * own backoff retries per AWS operation ("retrying AWS call", logged by the
 * fleet runner and discovery once the SDK's own attempts are spent) and every
 * warning or error by message.
 */
import pino, { type Logger } from 'pino';

export interface LogCounts {
  /** Retries by our own backoff (src/fleet/backoff.ts), per operation. */
  backoffRetries: Record<string, number>;
  /** Of those, the ones whose error was throttling. */
  backoffRetriesOnThrottling: Record<string, number>;
  /** Warning and error messages, by message text. */
  warnings: Record<string, number>;
}

interface LogLine {
  level?: number;
  msg?: string;
  operation?: string;
  err?: string;
}

const WARN_LEVEL = 40;
const THROTTLING_ERROR = /Throttl|Rate exceeded|RequestLimitExceeded/;

export class LogCounter {
  readonly counts: LogCounts = { backoffRetries: {}, backoffRetriesOnThrottling: {}, warnings: {} };
  readonly logger: Logger = pino({ level: 'debug', base: undefined }, { write: (line: string) => this.count(line) });

  private count(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    if (line.msg === 'retrying AWS call' && line.operation) {
      bump(this.counts.backoffRetries, line.operation);
      if (THROTTLING_ERROR.test(line.err ?? '')) bump(this.counts.backoffRetriesOnThrottling, line.operation);
    }
    if ((line.level ?? 0) >= WARN_LEVEL && line.msg) bump(this.counts.warnings, line.msg);
  }
}

function bump(counter: Record<string, number>, key: string): void {
  counter[key] = (counter[key] ?? 0) + 1;
}
