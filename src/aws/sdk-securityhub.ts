/**
 * SecurityHubApi over the real SDK: the only file that imports Security Hub
 * commands. The SDK module is loaded on the first call (dynamic import), as in
 * sdk-s3.ts: only `audit --security-hub` needs it.
 */
import type {
  BatchImportFindingsCommandInput,
  BatchImportFindingsCommandOutput,
  SecurityHubClient,
  SecurityHubClientConfig,
} from '@aws-sdk/client-securityhub';
import type * as SecurityHubSdk from '@aws-sdk/client-securityhub';
import type { CallOptions } from './call-options.js';
import { LazySdk } from './lazy-sdk.js';
import { mapFinalError } from './map-final-error.js';
import type { SecurityHubApi } from './securityhub-api.js';

type SecurityHubModule = typeof SecurityHubSdk;

export class SdkSecurityHubApi implements SecurityHubApi {
  private readonly sdk: LazySdk<SecurityHubModule, SecurityHubClient>;

  constructor(config: SecurityHubClientConfig) {
    this.sdk = new LazySdk<SecurityHubModule, SecurityHubClient>(() => import('@aws-sdk/client-securityhub'), (sdk) => new sdk.SecurityHubClient(config));
  }

  private load(): Promise<{ sdk: SecurityHubModule; client: SecurityHubClient }> {
    return this.sdk.load();
  }

  batchImportFindings(input: BatchImportFindingsCommandInput, options?: CallOptions): Promise<BatchImportFindingsCommandOutput> {
    return mapFinalError('BatchImportFindings', async () => {
      const { sdk, client } = await this.load();
      return client.send(new sdk.BatchImportFindingsCommand(input), options);
    });
  }

  /** Releases the client's sockets, if it was ever created. */
  destroy(): Promise<void> {
    return this.sdk.destroy();
  }
}
