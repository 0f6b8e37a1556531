/** Counters served at GET /_sandbox/stats (never requires auth). */
export interface EndpointStats {
  requests: Record<string, number>;
  throttled: Record<string, number>;
  errors: Record<string, number>;
  serverErrors: Record<string, number>;
  connectionResets: Record<string, number>;
  /** Steps started: one child process each, except recorded answers (exec.recorded), which run none. */
  commandsRun: number;
  commandsRunning: number;
  commandsQueued: number;
  maxConcurrentObserved: number;
  commandsSent: number;
  invocationsCreated: number;
}

export function emptyStats(): EndpointStats {
  return {
    requests: {},
    throttled: {},
    errors: {},
    serverErrors: {},
    connectionResets: {},
    commandsRun: 0,
    commandsRunning: 0,
    commandsQueued: 0,
    maxConcurrentObserved: 0,
    commandsSent: 0,
    invocationsCreated: 0,
  };
}

export function bump(counter: Record<string, number>, key: string): void {
  counter[key] = (counter[key] ?? 0) + 1;
}
