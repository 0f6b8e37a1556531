/** Pure constructors of CommandOutcome: what the runner reports for each way an instance can end. */
import type { CommandInvocation, GetCommandInvocationCommandOutput } from '@aws-sdk/client-ssm';
import type { Verdict } from './invocation-status.js';
import type { CommandOutcome } from './outcome.js';
import { GET_STDERR_LIMIT, GET_STDOUT_LIMIT, isGetStreamCut, splitPluginOutput } from './plugin-output.js';

type Terminal = Extract<Verdict, { terminal: true }>;

export function notSentOutcome(instanceId: string, reason: string): CommandOutcome {
  return { instanceId, status: 'NotSent', responseCode: -1, stdout: '', stderr: '', stdoutComplete: false, error: reason };
}

export function runnerTimedOutOutcome(
  instanceId: string,
  reason: string,
  seen: { commandId?: string; statusDetails?: string } = {},
): CommandOutcome {
  return {
    instanceId,
    ...(seen.commandId ? { commandId: seen.commandId } : {}),
    status: 'RunnerTimedOut',
    ...(seen.statusDetails ? { statusDetails: seen.statusDetails } : {}),
    responseCode: -1,
    stdout: '',
    stderr: '',
    stdoutComplete: false,
    error: reason,
  };
}

/** True when the plugin output of a terminal invocation is not enough and GetCommandInvocation must be asked. */
export function needsFullOutput(invocation: CommandInvocation, verdict: Terminal): boolean {
  const plugin = invocation.CommandPlugins?.[0];
  if (plugin?.Output === undefined) return ran(verdict);
  const split = splitPluginOutput(plugin.Output);
  return split.stdoutCut || split.stderrCut;
}

export type FullOutput =
  | { kind: 'ok'; value: GetCommandInvocationCommandOutput }
  | { kind: 'unavailable'; reason: string }
  | undefined;

export interface OutcomeContext {
  commandId: string;
  outputS3Bucket?: string;
}

/** The outcome of an invocation SSM reports as terminal, with the full output when it had to be fetched. */
export function terminalOutcome(
  invocation: CommandInvocation,
  verdict: Terminal,
  full: FullOutput,
  ctx: OutcomeContext,
): CommandOutcome {
  const plugin = invocation.CommandPlugins?.[0];
  const split = plugin?.Output !== undefined ? splitPluginOutput(plugin.Output) : undefined;
  const notes: string[] = [];
  let stdout = split?.stdout ?? '';
  let stderr = split?.stderr ?? '';
  let stdoutComplete = split ? !split.stdoutCut : !ran(verdict);
  let responseCode = plugin?.ResponseCode ?? -1;

  if (full?.kind === 'ok') {
    stdout = full.value.StandardOutputContent ?? '';
    stderr = full.value.StandardErrorContent ?? '';
    stdoutComplete = !isGetStreamCut(stdout, GET_STDOUT_LIMIT);
    if (typeof full.value.ResponseCode === 'number') responseCode = full.value.ResponseCode;
    if (!stdoutComplete) notes.push(cutNote(full.value.StandardOutputUrl, ctx.outputS3Bucket));
    if (isGetStreamCut(stderr, GET_STDERR_LIMIT)) notes.push(`stderr exceeds ${GET_STDERR_LIMIT} characters and was cut`);
  } else if (full?.kind === 'unavailable') {
    notes.push(`output was cut at ${split ? 'the 2,500-character list limit' : 'an unknown size'} and the full output is unavailable: ${full.reason}`);
  }

  const reason = verdict.status === 'Failed' ? `${verdict.reason} (exit code ${responseCode})` : verdict.reason;
  const error = [reason, ...notes].filter((part): part is string => Boolean(part)).join('; ');
  return {
    instanceId: invocation.InstanceId!,
    commandId: ctx.commandId,
    status: verdict.status,
    ...(invocation.StatusDetails ? { statusDetails: invocation.StatusDetails } : {}),
    responseCode,
    stdout,
    stderr,
    stdoutComplete,
    ...(error ? { error } : {}),
  };
}

/** Statuses where the command ran on the host, so there is output worth reading. */
function ran(verdict: Terminal): boolean {
  return verdict.status === 'Success' || verdict.status === 'Failed';
}

function cutNote(url: string | undefined, bucket: string | undefined): string {
  const base = `stdout exceeds ${GET_STDOUT_LIMIT} characters and was cut`;
  if (url) return `${base}; the full output is at ${url} (not read by swarm-audit)`;
  if (bucket) return `${base}; the full output is in s3://${bucket} (not read by swarm-audit)`;
  return `${base}; use a smaller output or --output-s3-bucket`;
}
