/**
 * StsApi over the real SDK: the only file that imports STS commands. The SDK
 * module is loaded on the first call (dynamic import), as in sdk-s3.ts: most
 * runs never ask who they are.
 */
import type { GetCallerIdentityCommandOutput, STSClient, STSClientConfig } from '@aws-sdk/client-sts';
import type { CallOptions } from './call-options.js';
import { mapFinalError } from './map-final-error.js';
import type { StsApi } from './sts-api.js';

type StsModule = typeof import('@aws-sdk/client-sts');

export class SdkStsApi implements StsApi {
  private loaded?: Promise<{ sdk: StsModule; client: STSClient }>;

  constructor(private readonly config: STSClientConfig) {}

  private load(): Promise<{ sdk: StsModule; client: STSClient }> {
    this.loaded ??= import('@aws-sdk/client-sts').then((sdk) => ({ sdk, client: new sdk.STSClient(this.config) }));
    return this.loaded;
  }

  getCallerIdentity(options?: CallOptions): Promise<GetCallerIdentityCommandOutput> {
    return mapFinalError('GetCallerIdentity', async () => {
      const { sdk, client } = await this.load();
      return client.send(new sdk.GetCallerIdentityCommand({}), options);
    });
  }

  /** Releases the client's sockets, if it was ever created. */
  async destroy(): Promise<void> {
    if (this.loaded) (await this.loaded).client.destroy();
  }
}
