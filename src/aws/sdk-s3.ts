/**
 * S3Api over the real SDK client: the only file that imports S3 commands.
 * The SDK module is loaded on the first call (dynamic import): an audit
 * without --output-s3-bucket, or whose outputs all fit, never pays the
 * ~15 MB of resident memory the S3 client costs at import.
 */
import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { CallOptions } from './call-options.js';
import { LazySdk } from './lazy-sdk.js';
import { mapFinalError } from './map-final-error.js';
import type { S3Api } from './s3-api.js';

type S3Module = typeof S3Sdk;

export class SdkS3Api implements S3Api {
  private readonly sdk: LazySdk<S3Module, S3Client>;

  constructor(config: S3ClientConfig) {
    this.sdk = new LazySdk<S3Module, S3Client>(() => import('@aws-sdk/client-s3'), (sdk) => new sdk.S3Client(config));
  }

  private load(): Promise<{ sdk: S3Module; client: S3Client }> {
    return this.sdk.load();
  }

  getObjectText(input: { Bucket: string; Key: string }, options?: CallOptions): Promise<string> {
    return mapFinalError('GetObject', async () => {
      const { sdk, client } = await this.load();
      const answer = await client.send(new sdk.GetObjectCommand(input), options);
      return (await answer.Body?.transformToString('utf-8')) ?? '';
    });
  }

  listObjectsV2(input: ListObjectsV2CommandInput, options?: CallOptions): Promise<ListObjectsV2CommandOutput> {
    return mapFinalError('ListObjectsV2', async () => {
      const { sdk, client } = await this.load();
      return client.send(new sdk.ListObjectsV2Command(input), options);
    });
  }

  /** Releases the client's sockets, if it was ever created. */
  destroy(): Promise<void> {
    return this.sdk.destroy();
  }
}
