/** Builds one SendCommand request for a batch of instances. */
import type { SendCommandCommandInput } from '@aws-sdk/client-ssm';
import type { CommandSpec } from './outcome.js';

export const SHELL_DOCUMENT = 'AWS-RunShellScript';
/** SendCommand accepts at most 50 InstanceIds. */
export const MAX_INSTANCES_PER_SEND = 50;
/** AWS limits for TimeoutSeconds (delivery window). */
export const MIN_DELIVERY_TIMEOUT_SECONDS = 30;
export const MAX_DELIVERY_TIMEOUT_SECONDS = 2_592_000;
/** AWS-RunShellScript's executionTimeout allows 1..172800 seconds. */
const MAX_EXECUTION_TIMEOUT_SECONDS = 172_800;
const MAX_COMMENT_LENGTH = 100;

export interface SendInputOptions {
  /** Milliseconds left before the run's deadline. */
  remainingMs: number;
  deliveryTimeoutSeconds?: number;
  outputS3Bucket?: string;
  comment?: string;
}

export function buildSendCommandInput(
  instanceIds: string[],
  spec: CommandSpec,
  opts: SendInputOptions,
): SendCommandCommandInput {
  const remainingSeconds = Math.max(1, Math.ceil(opts.remainingMs / 1000));
  const comment = opts.comment ?? spec.comment;
  return {
    InstanceIds: instanceIds,
    ...documentAndParameters(spec, remainingSeconds),
    // An explicit value is passed as given (AWS rejects one below 30); the derived one is kept within AWS's range.
    TimeoutSeconds:
      opts.deliveryTimeoutSeconds ?? clamp(remainingSeconds, MIN_DELIVERY_TIMEOUT_SECONDS, MAX_DELIVERY_TIMEOUT_SECONDS),
    // The defaults (MaxErrors 0) would stop delivering to the rest of the batch after one failure.
    MaxConcurrency: '100%',
    MaxErrors: '100%',
    ...(comment ? { Comment: comment.slice(0, MAX_COMMENT_LENGTH) } : {}),
    ...(opts.outputS3Bucket ? { OutputS3BucketName: opts.outputS3Bucket } : {}),
  };
}

function documentAndParameters(
  spec: CommandSpec,
  remainingSeconds: number,
): Pick<SendCommandCommandInput, 'DocumentName' | 'Parameters'> {
  if (spec.kind === 'document') {
    return { DocumentName: spec.documentName, Parameters: spec.parameters };
  }
  const executionTimeout = clamp(spec.executionTimeoutSeconds ?? remainingSeconds, 1, MAX_EXECUTION_TIMEOUT_SECONDS);
  return {
    DocumentName: SHELL_DOCUMENT,
    Parameters: { commands: spec.commands, executionTimeout: [String(executionTimeout)] },
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.ceil(value)));
}
