/** StsApi over the real SDK: the only file that imports STS commands. */
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import type { CallOptions } from './call-options.js';
import { mapFinalError } from './map-final-error.js';
import type { StsApi } from './sts-api.js';

export class SdkStsApi implements StsApi {
  private client: STSClient | undefined;

  /** The client is built on first use: most runs never ask who they are. */
  constructor(private readonly createClient: () => STSClient) {}

  getCallerIdentity(options?: CallOptions): Promise<GetCallerIdentityCommandOutput> {
    this.client ??= this.createClient();
    const client = this.client;
    return mapFinalError('GetCallerIdentity', () => client.send(new GetCallerIdentityCommand({}), options));
  }

  destroy(): void {
    this.client?.destroy();
    this.client = undefined;
  }
}
