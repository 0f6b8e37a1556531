/**
 * Process warnings (deprecations, the AWS SDK's Node-version notice) go
 * through the run's logger instead of Node's default printer, so stderr stays
 * one log format. The SDK's notice says nothing about this run: it is logged
 * at debug, once, and is absent from normal output.
 */
import type { Logger } from 'pino';

const SDK_NODE_NOTICE = /NodeVersionSupportWarning|AWS SDK for JavaScript \(v3\)[\s\S]*require node/;

let queued: Error[] = [];
let sink: ((warning: Error) => void) | undefined;

/** Called once by the bin before anything else loads: from here on Node prints no warning itself. */
export function captureProcessWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error) => (sink ? sink(warning) : queued.push(warning)));
}

/** Warnings queued so far, and every later one, are logged by `logger`. */
export function routeProcessWarnings(logger: Logger): void {
  sink = (warning) => logWarning(logger, warning);
  const earlier = queued;
  queued = [];
  earlier.forEach(sink);
}

export function isSdkNodeNotice(warning: Pick<Error, 'name' | 'message'>): boolean {
  return SDK_NODE_NOTICE.test(`${warning.name}: ${warning.message}`);
}

function logWarning(logger: Logger, warning: Error): void {
  const fields = { warning: warning.name, code: (warning as NodeJS.ErrnoException).code };
  if (isSdkNodeNotice(warning)) logger.debug(fields, warning.message);
  else logger.warn(fields, warning.message);
}
