/**
 * The sandbox's S3: buckets of text objects in memory. Run Command writes
 * each step's stdout/stderr here when SendCommand names OutputS3BucketName
 * (a bucket comes into being on first write; the real agent needs it to
 * exist), and the S3 API (s3/router.ts) serves them.
 */
import { createHash } from 'node:crypto';

export interface StoredObject {
  body: Buffer;
  etag: string;
  lastModified: number;
}

export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();

  put(bucket: string, key: string, body: Buffer | string): StoredObject {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const object = { body: bytes, etag: `"${createHash('md5').update(bytes).digest('hex')}"`, lastModified: Date.now() };
    let objects = this.buckets.get(bucket);
    if (!objects) {
      objects = new Map();
      this.buckets.set(bucket, objects);
    }
    objects.set(key, object);
    return object;
  }

  hasBucket(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  get(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** Keys under `prefix`, in UTF-8 binary order as S3 lists them. */
  keys(bucket: string, prefix: string): string[] {
    const objects = this.buckets.get(bucket);
    if (!objects) return [];
    return [...objects.keys()].filter((key) => key.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }
}

/**
 * Where the agent puts a step's streams: `<prefix>/<command-id>/<instance-id>/awsrunShellScript/<step>/stdout`,
 * `<step>` being `<index>.<plugin without ':'>` for a schema 1.2 plugin (AWS-RunShellScript:
 * `0.awsrunShellScript`) and the step name for a schema 2.x document.
 */
export function stepOutputKey(keyPrefix: string, commandId: string, instanceId: string, stepIndex: number, stepName: string, stream: 'stdout' | 'stderr'): string {
  const prefix = keyPrefix === '' || keyPrefix.endsWith('/') ? keyPrefix : `${keyPrefix}/`;
  const step = stepName.startsWith('aws:') ? `${stepIndex}.${stepName.replace(':', '')}` : stepName;
  return `${prefix}${commandId}/${instanceId}/awsrunShellScript/${step}/${stream}`;
}
