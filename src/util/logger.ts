import pino, { type Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Logs go to stderr only: stdout carries the report and nothing else.
 * JSON for machines; pino-pretty when stderr is a terminal.
 */
export function createLogger(level: LogLevel = 'info', pretty = Boolean(process.stderr.isTTY)): Logger {
  if (pretty) {
    const transport = pino.transport({ target: 'pino-pretty', options: { destination: 2, colorize: true } });
    return pino({ level, base: undefined }, transport);
  }
  return pino({ level, base: undefined }, pino.destination({ dest: 2, sync: true }));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
