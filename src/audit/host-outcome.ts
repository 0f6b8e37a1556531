/**
 * Turns one instance's discovery record and probe command outcome into the
 * engine's input. Anything short of a complete, decoded probe record becomes
 * an ERROR with its cause: nothing unparsed or cut can ever become PASS.
 *
 * An instance that was not sent the probe is NOT_APPLICABLE when it is at
 * rest (stopped, stopping, shutting-down, terminated: nothing runs there to
 * audit) and ERROR otherwise (running or starting, but no agent, agent not
 * Online, not Linux: it may run Swarm and we could not look).
 */
import type { FleetInstance } from '../fleet/instance.js';
import { isAtRest } from '../fleet/instance-state.js';
import type { CommandOutcome } from '../fleet/outcome.js';
import type { HostInput } from '../engine/host-input.js';
import { decodeProbeOutput } from '../probe/decode.js';
import { StringPool } from './string-pool.js';

/** `strings`: the fleet's pool when many hosts are decoded together (decodeAll), so equal strings are held once. */
export function toHostInput(instance: FleetInstance, outcome: CommandOutcome | undefined, strings?: StringPool): HostInput {
  if (!instance.reachable) {
    const reason = instance.unreachableReason ?? 'SSM agent not reachable';
    if (isAtRest(instance.state)) return { instance, probe: { ok: false, status: 'NOT_APPLICABLE', message: reason } };
    return failed(instance, `not audited: ${reason}`);
  }
  if (!outcome) return failed(instance, 'not audited: no command outcome was recorded (runner defect)');
  if (outcome.status !== 'Success') return failed(instance, describeFailedInvocation(outcome));
  if (!outcome.stdoutComplete) {
    // The runner's reason names what to do: the flag to add, or why the S3 copy could not be read.
    return failed(instance, `probe output was truncated by SSM and could not be read in full: ${outcome.error ?? 'use --output-s3-bucket'}`);
  }
  const decoded = decodeProbeOutput(outcome.stdout);
  if (!decoded.ok) return failed(instance, `probe output unusable (${decoded.reason}): ${decoded.message}`);
  return { instance, probe: { ok: true, facts: strings ? strings.share(decoded.facts) : decoded.facts } };
}

/**
 * Every instance's HostInput, taking each outcome out of `outcomes` as it is
 * decoded: the raw outputs (about 2 KB a host) are not kept alive next to the
 * decoded facts, and the facts of all hosts share one copy of each equal
 * string (StringPool) (measured at 10,000 instances: see packages/bench/BENCH.md).
 */
export function decodeAll(instances: readonly FleetInstance[], outcomes: Map<string, CommandOutcome>): HostInput[] {
  const strings = new StringPool();
  return instances.map((instance) => {
    const outcome = outcomes.get(instance.instanceId);
    outcomes.delete(instance.instanceId);
    return toHostInput(instance, outcome, strings);
  });
}

function failed(instance: FleetInstance, message: string): HostInput {
  return { instance, probe: { ok: false, status: 'ERROR', message } };
}

function describeFailedInvocation(outcome: CommandOutcome): string {
  const details = outcome.statusDetails && outcome.statusDetails !== outcome.status ? ` (${outcome.statusDetails})` : '';
  const code = outcome.responseCode >= 0 ? `, exit code ${outcome.responseCode}` : '';
  const reason = outcome.error ? `: ${outcome.error}` : '';
  const stderr = outcome.stderr.trim() ? `; stderr: ${lastLine(outcome.stderr)}` : '';
  return `probe command ${outcome.status}${details}${code}${reason}${stderr}`;
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1].slice(0, 300);
}
