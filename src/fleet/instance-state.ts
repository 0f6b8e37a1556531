/**
 * What an EC2 instance state means for an audit. Discovery keeps instances
 * in every state (nothing a tag matched is dropped); only running ones are
 * sent commands. The others are told apart the way an operator would:
 *
 * - stopping, stopped, shutting-down, terminated: nothing runs there, so no
 *   control can be violated now -> "at rest" (reported NOT_APPLICABLE).
 * - pending (booting) or any state we do not know: a host that is, or is
 *   about to be, part of the fleet and that we did not look at -> not at
 *   rest (reported ERROR).
 */
const RUNNING = 'running';

const AT_REST: ReadonlySet<string> = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);

/** True when no process runs on the instance and none will until someone starts it. */
export function isAtRest(state: string): boolean {
  return AT_REST.has(state);
}

/** Why an instance in this state is not audited; undefined when it is running. */
export function notRunningReason(state: string): string | undefined {
  if (state === RUNNING) return undefined;
  if (isAtRest(state)) return `instance is ${state}: nothing runs to audit`;
  if (state === 'pending') return 'instance is pending (still starting): could not audit it yet';
  return `instance state is ${state}: not running, could not audit`;
}
