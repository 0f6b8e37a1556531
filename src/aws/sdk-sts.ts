/**
 * StsApi over the real SDK: the only file that imports STS commands. The SDK
 * module is loaded on the first call (dynamic import), as in sdk-s3.ts: most
 * runs never ask who they are.
 */
import type { GetCallerIdentityCommandOutput, STSClient, STSClientConfig } from '@aws-sdk/client-sts';
import type * as StsSdk from '@aws-sdk/client-sts';
import type { CallOptions } from './call-options.js';
import { LazySdk } from './lazy-sdk.js';
import { mapFinalError } from './map-final-error.js';
import type { StsApi } from './sts-api.js';

type StsModule = typeof StsSdk;

export class SdkStsApi implements StsApi {
  private readonly sdk: LazySdk<StsModule, STSClient>;

  constructor(config: STSClientConfig) {
    this.sdk = new LazySdk<StsModule, STSClient>(() => import('@aws-sdk/client-sts'), (sdk) => new sdk.STSClient(config));
  }

  private load(): Promise<{ sdk: StsModule; client: STSClient }> {
    return this.sdk.load();
  }

  getCallerIdentity(options?: CallOptions): Promise<GetCallerIdentityCommandOutput> {
    return mapFinalError('GetCallerIdentity', async () => {
      const { sdk, client } = await this.load();
      return client.send(new sdk.GetCallerIdentityCommand({}), options);
    });
  }

  /** Releases the client's sockets, if it was ever created. */
  destroy(): Promise<void> {
    return this.sdk.destroy();
  }
}
