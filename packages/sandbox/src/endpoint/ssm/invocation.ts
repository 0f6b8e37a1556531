/**
 * The state of one command on one instance, and of each plugin (document
 * step) inside it, using the agent's and the service's status vocabulary.
 */
export type InvocationStatus = 'Pending' | 'InProgress' | 'Success' | 'Cancelled' | 'TimedOut' | 'Failed' | 'Cancelling';

export interface PluginState {
  name: string;
  status: InvocationStatus;
  statusDetails: string;
  /** -1 until the step ran; its exit code after; 137 when killed on timeout or cancel (agent's CommandStoppedPreemptivelyExitCode). */
  responseCode: number;
  startedAt?: number;
  endedAt?: number;
  /** StringPrefix(stdout, 24000) and StringPrefix(stderr, 8000), set when the step ends. */
  stdoutContent: string;
  stderrContent: string;
  /** TruncateOutput(stdout, stderr, 2500), set when the step ends. */
  output: string;
}

export interface Invocation {
  instanceId: string;
  status: InvocationStatus;
  statusDetails: string;
  plugins: PluginState[];
  /** Set while waiting for an agent that does not pick commands up: past it, DeliveryTimedOut. */
  deliveryDeadline?: number;
  /** Present while the invocation can still be cancelled; dropped when final (frees the process handle). */
  cancel?: () => void;
}

const TERMINAL: ReadonlySet<InvocationStatus> = new Set(['Success', 'Cancelled', 'TimedOut', 'Failed']);

export function isTerminal(status: InvocationStatus): boolean {
  return TERMINAL.has(status);
}

export function newInvocation(instanceId: string, pluginNames: string[]): Invocation {
  return {
    instanceId,
    status: 'Pending',
    statusDetails: 'Pending',
    plugins: pluginNames.map((name) => ({
      name,
      status: 'Pending',
      statusDetails: 'Pending',
      responseCode: -1,
      stdoutContent: '',
      stderrContent: '',
      output: '',
    })),
  };
}

/** Ends an invocation that never ran (undeliverable, delivery timeout, cancelled before start). */
export function endUnrun(invocation: Invocation, status: InvocationStatus, details: string): void {
  for (const plugin of invocation.plugins) {
    if (isTerminal(plugin.status)) continue;
    plugin.status = status;
    plugin.statusDetails = details;
  }
  invocation.status = status;
  invocation.statusDetails = details;
  invocation.deliveryDeadline = undefined;
  invocation.cancel = undefined;
}

/** Applies the delivery timeout lazily, at read time: no timer per offline instance. */
export function settle(invocation: Invocation, now: number): void {
  if (invocation.deliveryDeadline !== undefined && !isTerminal(invocation.status) && now >= invocation.deliveryDeadline) {
    endUnrun(invocation, 'TimedOut', 'DeliveryTimedOut');
  }
}

/** Worst plugin wins, as the agent merges plugin results. */
export function aggregatePlugins(invocation: Invocation): void {
  const statuses = invocation.plugins.map((p) => p.status);
  const pick = (status: InvocationStatus) => invocation.plugins.find((p) => p.status === status);
  const winner = pick('Cancelled') ?? pick('TimedOut') ?? pick('Failed');
  if (winner) {
    invocation.status = winner.status;
    invocation.statusDetails = winner.statusDetails;
  } else if (statuses.every((s) => s === 'Success')) {
    invocation.status = 'Success';
    invocation.statusDetails = 'Success';
  }
  invocation.cancel = undefined;
}
