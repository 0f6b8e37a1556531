/**
 * The narrow slice of S3 that swarm-audit uses: reading the full command
 * outputs SSM Run Command writes to `--output-s3-bucket` (see ssm-api.ts for
 * why the SDK stays behind interfaces).
 */
import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { CallOptions } from './call-options.js';

export interface S3Api {
  /** The whole object, decoded as UTF-8 (command outputs are text). */
  getObjectText(input: { Bucket: string; Key: string }, options?: CallOptions): Promise<string>;
  listObjectsV2(input: ListObjectsV2CommandInput, options?: CallOptions): Promise<ListObjectsV2CommandOutput>;
}
