/**
 * One instance's output of one association run, from S3. The agent uploads an
 * association's step streams to
 * `<prefix>/<instance-id>/<association-id>/<run-id>/awsrunShellScript/<step>/stdout`,
 * the run id being its clock at the start of the run as
 * `2006-01-02T15-04-05.000Z` (docs/ssm.md, "State Manager"). Run ids sort as
 * times, so one ListObjectsV2 starting after the execution's own start lists
 * only this run and later ones: an output older than the execution is never
 * read. The earliest run at or after the start is this execution's.
 */
import { allPages } from '../aws/all-pages.js';
import { isRetryable } from '../aws/aws-errors.js';
import type { S3Api } from '../aws/s3-api.js';
import { ToolError } from '../errors.js';
import { withBackoff, type BackoffPolicy } from '../fleet/backoff.js';
import { systemClock, type Clock } from '../fleet/clock.js';

/** S3 answers SlowDown (503) under load: back off on top of the SDK's retries, as the fleet runner does for SSM. */
const RETRY: BackoffPolicy = { maxAttempts: 6, baseMs: 250, capMs: 8_000 };

const RUN_ID = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/;

export interface RunOutputLocation {
  bucket: string;
  prefix: string;
  associationId: string;
  instanceId: string;
  /** The execution's CreatedTime. */
  notBefore: Date;
}

export interface RunOutput {
  runId: string;
  stdout: string;
  stderr: string;
}

export function runIdAt(time: Date): string {
  return time.toISOString().replace(/:/g, '-');
}

/** `s3://bucket/prefix/i-.../association-id/` */
export function describeLocation(location: RunOutputLocation): string {
  return `s3://${location.bucket}/${instancePrefix(location)}`;
}

/** Undefined when this run left no stdout object. */
export async function readRunOutput(s3: S3Api, location: RunOutputLocation, readStderr: boolean, clock: Clock = systemClock): Promise<RunOutput | undefined> {
  const retrying = <T>(call: () => Promise<T>) => withBackoff(call, { clock, policy: RETRY, shouldRetry: isRetryable });
  const prefix = instancePrefix(location);
  const keys = await allPages('ListObjectsV2', async (token) => {
    const answer = await retrying(() => s3.listObjectsV2({ Bucket: location.bucket, Prefix: prefix, StartAfter: `${prefix}${runIdAt(location.notBefore)}`, ContinuationToken: token }));
    return { items: (answer.Contents ?? []).map((o) => o.Key ?? ''), nextToken: answer.IsTruncated ? answer.NextContinuationToken : undefined };
  });
  const earliest = runIdAt(location.notBefore);
  // checked here too: a store that ignores StartAfter must not hand an older run over
  const runIds = [...new Set(keys.map((key) => key.slice(prefix.length).split('/')[0]))]
    .filter((id) => RUN_ID.test(id) && id >= earliest)
    .sort();
  const runId = runIds[0];
  if (runId === undefined) return undefined;
  const stdoutKey = onlyStream(keys, `${prefix}${runId}/`, 'stdout');
  if (stdoutKey === undefined) return undefined;
  const stderrKey = readStderr ? onlyStream(keys, `${prefix}${runId}/`, 'stderr') : undefined;
  const [stdout, stderr] = await Promise.all([
    retrying(() => s3.getObjectText({ Bucket: location.bucket, Key: stdoutKey })),
    stderrKey ? retrying(() => s3.getObjectText({ Bucket: location.bucket, Key: stderrKey })) : Promise.resolve(''),
  ]);
  return { runId, stdout, stderr };
}

function instancePrefix(location: RunOutputLocation): string {
  const base = location.prefix === '' ? '' : `${location.prefix.replace(/\/+$/, '')}/`;
  return `${base}${location.instanceId}/${location.associationId}/`;
}

/** The probe document has one step: a run with several stdout objects is not ours to guess from. */
function onlyStream(keys: readonly string[], runPrefix: string, stream: 'stdout' | 'stderr'): string | undefined {
  const found = keys.filter((key) => key.startsWith(runPrefix) && key.endsWith(`/${stream}`));
  if (found.length > 1) throw new ToolError('S3OutputAmbiguous', `${found.length} ${stream} objects under ${runPrefix}: the probe document has one step`);
  return found[0];
}
