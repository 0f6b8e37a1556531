/**
 * The full stdout of one invocation, read from the bucket SSM Run Command
 * wrote it to (SendCommand OutputS3BucketName). The agent uploads each step's
 * streams as `<prefix>/<command-id>/<instance-id>/awsrunShellScript/<step>/stdout`
 * (`<step>` is `0.awsrunShellScript` for AWS-RunShellScript, the step name for
 * a schema 2.x document); GetCommandInvocation's StandardOutputUrl names the
 * object when SSM fills it in. Without a URL the key is found by listing the
 * invocation's prefix, so no step naming is guessed.
 */
import { allPages } from '../aws/all-pages.js';
import type { CallOptions } from '../aws/call-options.js';
import type { S3Api } from '../aws/s3-api.js';
import { ToolError } from '../errors.js';

export interface S3OutputLocation {
  bucket: string;
  /** OutputS3KeyPrefix as sent ('' when none). */
  keyPrefix: string;
  commandId: string;
  instanceId: string;
  /** The plugin (step) whose stdout is wanted, as CommandPlugins[].Name shows it. */
  pluginName?: string;
  /** GetCommandInvocation StandardOutputUrl, when SSM gave one. */
  outputUrl?: string;
}

/** Thrown while the object is not (yet) there: the agent uploads after reporting the status. */
export const S3_OUTPUT_MISSING = 'S3OutputMissing';

export function invocationPrefix(location: S3OutputLocation): string {
  const prefix = location.keyPrefix === '' || location.keyPrefix.endsWith('/') ? location.keyPrefix : `${location.keyPrefix}/`;
  return `${prefix}${location.commandId}/${location.instanceId}/`;
}

export async function readS3Stdout(s3: S3Api, location: S3OutputLocation, options: CallOptions): Promise<string> {
  const key = keyFromUrl(location) ?? (await findStdoutKey(s3, location, options));
  return s3.getObjectText({ Bucket: location.bucket, Key: key }, options);
}

async function findStdoutKey(s3: S3Api, location: S3OutputLocation, options: CallOptions): Promise<string> {
  const prefix = invocationPrefix(location);
  const keys = await allPages('ListObjectsV2', async (token) => {
    const answer = await s3.listObjectsV2({ Bucket: location.bucket, Prefix: prefix, ContinuationToken: token }, options);
    return { items: (answer.Contents ?? []).map((o) => o.Key ?? ''), nextToken: answer.IsTruncated ? answer.NextContinuationToken : undefined };
  });
  const stdouts = keys.filter((key) => key.endsWith('/stdout'));
  if (stdouts.length === 1) return stdouts[0];
  const where = `s3://${location.bucket}/${prefix}`;
  if (stdouts.length === 0) throw new ToolError(S3_OUTPUT_MISSING, `no stdout object under ${where}`);
  const step = location.pluginName?.replace(/:/g, '');
  const chosen = step === undefined ? [] : stdouts.filter((key) => key.split('/').at(-2)?.replace(/^\d+\./, '') === step);
  if (chosen.length === 1) return chosen[0];
  throw new ToolError('S3OutputAmbiguous', `${stdouts.length} stdout objects under ${where} and none is only step ${location.pluginName ?? '(unknown)'}`);
}

/** The object key from a path-style or virtual-hosted StandardOutputUrl of this bucket; undefined otherwise. */
function keyFromUrl({ outputUrl, bucket }: S3OutputLocation): string | undefined {
  if (!outputUrl) return undefined;
  let url: URL;
  try {
    url = new URL(outputUrl);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(url.pathname);
  if (url.hostname.startsWith(`${bucket}.`)) return path.slice(1) || undefined;
  return path.startsWith(`/${bucket}/`) ? path.slice(bucket.length + 2) || undefined : undefined;
}
