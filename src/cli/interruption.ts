/**
 * SIGINT / SIGTERM during a run: the first one aborts the run's AbortSignal
 * (the fleet runner then cancels the commands still running with
 * CancelCommand and the unfinished instances end ERROR, so the partial report
 * can still be written); a second one while finishing exits at once with the
 * "incomplete" code. The handlers live only as long as the run.
 *
 * `processSignals` is the only code that installs process signal handlers
 * for a command run (the sandbox endpoint's `serve` has its own lifetime).
 */
import { EXIT } from './exit-codes.js';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** The process's signals, behind an interface so tests can send them. */
export interface SignalPort {
  /** Calls `onSignal` for every SIGINT and SIGTERM until the returned function is called. */
  listen(onSignal: (name: InterruptSignal) => void): () => void;
  /** Ends the process now (second signal). */
  exitNow(code: number): void;
}

export const processSignals: SignalPort = {
  listen(onSignal) {
    const handler = (name: NodeJS.Signals) => onSignal(name as InterruptSignal);
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
  exitNow(code) {
    process.exit(code);
  },
};

/** The abort reason of an interrupted run; its message is what unfinished instances report. */
export class InterruptedError extends Error {
  constructor(readonly signalName: InterruptSignal) {
    super(`cancelled by ${signalName}`);
    this.name = 'InterruptedError';
  }
}

export interface Interruptible {
  signals?: SignalPort;
  /** Told when the first signal arrives (the run goes on finishing). */
  onInterrupt?: (name: InterruptSignal) => void;
}

/** Runs `work` with an AbortSignal that the first SIGINT/SIGTERM aborts; the second exits with EXIT.incomplete. */
export async function whileInterruptible<T>(port: Interruptible, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const unlisten = port.signals?.listen((name) => {
    if (controller.signal.aborted) {
      port.signals!.exitNow(EXIT.incomplete);
      return;
    }
    port.onInterrupt?.(name);
    controller.abort(new InterruptedError(name));
  });
  try {
    return await work(controller.signal);
  } finally {
    unlisten?.();
  }
}

/** The signal that interrupted the run, when one did. */
export function interruptionOf(signal: AbortSignal): InterruptedError | undefined {
  return signal.aborted && signal.reason instanceof InterruptedError ? signal.reason : undefined;
}
