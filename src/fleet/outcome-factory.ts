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

/** Stdout read from the S3 copy (only when GetCommandInvocation's 24,000 characters were cut and a bucket was given). */
export type S3Stdout = { kind: 'ok'; stdout: string } | { kind: 'unavailable'; reason: string } | undefined;

export interface OutcomeContext {
  commandId: string;
  outputS3Bucket?: string;
  /** False when the runner has a bucket but no S3 client to read it with. */
  canReadS3?: boolean;
}

/** The outcome of an invocation SSM reports as terminal, with the full output when it had to be fetched. */
export function terminalOutcome(
  invocation: CommandInvocation,
  verdict: Terminal,
  full: FullOutput,
  ctx: OutcomeContext,
  s3: S3Stdout = undefined,
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
    if (s3?.kind === 'ok') {
      stdout = s3.stdout;
      stdoutComplete = true;
    } else if (!stdoutComplete) {
      notes.push(s3?.kind === 'unavailable' ? `${GET_CUT} and reading it from S3 failed: ${s3.reason}` : cutNote(full.value.StandardOutputUrl, ctx));
    }
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

const GET_CUT = `stdout exceeds ${GET_STDOUT_LIMIT} characters, the most GetCommandInvocation returns`;

function cutNote(url: string | undefined, ctx: OutcomeContext): string {
  if (!ctx.outputS3Bucket) return `${GET_CUT}; add --output-s3-bucket BUCKET so SSM writes the full output there and swarm-audit reads it`;
  const where = url || `s3://${ctx.outputS3Bucket}`;
  return `${GET_CUT}; the full output is at ${where}${ctx.canReadS3 === false ? ' (no S3 client given, not read)' : ''}`;
}
