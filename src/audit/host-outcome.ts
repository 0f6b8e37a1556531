/**
 * Turns one instance's discovery record and probe command outcome into the
 * engine's input. Anything short of a complete, decoded probe record becomes
 * an ERROR with its cause: nothing unparsed or cut can ever become PASS.
 */
import type { FleetInstance } from '../fleet/instance.js';
import type { CommandOutcome } from '../fleet/outcome.js';
import type { HostInput } from '../engine/host-input.js';
import { decodeProbeOutput } from '../probe/decode.js';

export function toHostInput(instance: FleetInstance, outcome: CommandOutcome | undefined): HostInput {
  if (!instance.reachable) {
    return failed(instance, `not audited: ${instance.unreachableReason ?? 'SSM agent not reachable'}`);
  }
  if (!outcome) return failed(instance, 'not audited: no command outcome was recorded (runner defect)');
  if (outcome.status !== 'Success') return failed(instance, describeFailedInvocation(outcome));
  if (!outcome.stdoutComplete) {
    return failed(instance, 'probe output was truncated by SSM and could not be read in full; use --output-s3-bucket');
  }
  const decoded = decodeProbeOutput(outcome.stdout);
  if (!decoded.ok) return failed(instance, `probe output unusable (${decoded.reason}): ${decoded.message}`);
  return { instance, probe: { ok: true, facts: decoded.facts } };
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
  return lines[lines.length - 1]!.slice(0, 300);
}
