import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { routeProcessWarnings } from './process-warnings.js';
import { redactSecrets } from './redact.js';
import { noColorRequested } from './no-color.js';
import { writeStderrLine } from './stderr-line.js';
import type { LogLevel } from './log-levels.js';

export type { LogLevel } from './log-levels.js';

/**
 * Every logger writes through redactSecrets: the hook sees each finished
 * line (message, bindings, serialized errors with stack and cause, the AWS
 * SDK's request/response dumps at debug) before any destination or the
 * pretty transport does.
 */
function loggerOptions(level: LogLevel): LoggerOptions {
  return { level, base: undefined, hooks: { streamWrite: redactSecrets } };
}

/**
 * Logs go to stderr only: stdout carries the report and nothing else.
 * JSON for machines; pino-pretty when stderr is a terminal. `destination`
 * (fd or file path) exists for tests.
 */
export function createLogger(level: LogLevel = 'info', pretty = Boolean(process.stderr.isTTY), destination: number | string = 2): Logger {
  const logger = pretty
    ? pino(loggerOptions(level), prettyLines(destination))
    : pino(loggerOptions(level), pino.destination({ dest: destination, sync: true }));
  routeProcessWarnings(logger);
  return logger;
}

/**
 * pino-pretty in this thread, line by line: on stderr each line goes through
 * writeStderrLine, so the progress line is cleared before it and redrawn after
 * (a transport's worker thread would write in between, at any time).
 */
function prettyLines(destination: number | string): DestinationStream {
  const format = prettyFactory({ colorize: !noColorRequested(process.env) });
  if (destination === 2) return { write: (line: string) => writeStderrLine(format(line)) };
  const file = pino.destination({ dest: destination, sync: true });
  return { write: (line: string) => file.write(format(line)) };
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
