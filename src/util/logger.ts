import pino, { type Logger, type LoggerOptions } from 'pino';
import { routeProcessWarnings } from './process-warnings.js';
import { redactSecrets } from './redact.js';
import { noColorRequested } from './no-color.js';
import type { LogLevel } from './log-levels.js';

export { LOG_LEVELS, type LogLevel } from './log-levels.js';

/**
 * Every logger writes through redactSecrets: the hook sees each finished
 * line (message, bindings, serialized errors with stack and cause, the AWS
 * SDK's request/response dumps at debug) before any destination or the
 * pretty transport does.
 */
export function loggerOptions(level: LogLevel): LoggerOptions {
  return { level, base: undefined, hooks: { streamWrite: redactSecrets } };
}

/**
 * Logs go to stderr only: stdout carries the report and nothing else.
 * JSON for machines; pino-pretty when stderr is a terminal. `destination`
 * (fd or file path) exists for tests.
 */
export function createLogger(level: LogLevel = 'info', pretty = Boolean(process.stderr.isTTY), destination: number | string = 2): Logger {
  const logger = pretty
    ? pino(loggerOptions(level), pino.transport({ target: 'pino-pretty', options: { destination, colorize: !noColorRequested(process.env) } }))
    : pino(loggerOptions(level), pino.destination({ dest: destination, sync: true }));
  routeProcessWarnings(logger);
  return logger;
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
