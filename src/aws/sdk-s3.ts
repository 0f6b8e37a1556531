/**
 * S3Api over the real SDK client: the only file that imports S3 commands.
 * The SDK module is loaded on the first call (dynamic import): an audit
 * without --output-s3-bucket, or whose outputs all fit, never pays the
 * ~15 MB of resident memory the S3 client costs at import.
 */
import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput, S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { CallOptions } from './call-options.js';
import { mapFinalError } from './map-final-error.js';
import type { S3Api } from './s3-api.js';

type S3Module = typeof import('@aws-sdk/client-s3');

export class SdkS3Api implements S3Api {
  private loaded?: Promise<{ sdk: S3Module; client: S3Client }>;

  constructor(private readonly config: S3ClientConfig) {}

  private load(): Promise<{ sdk: S3Module; client: S3Client }> {
    this.loaded ??= import('@aws-sdk/client-s3').then((sdk) => ({ sdk, client: new sdk.S3Client(this.config) }));
    return this.loaded;
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
  async destroy(): Promise<void> {
    if (this.loaded) (await this.loaded).client.destroy();
  }
}
