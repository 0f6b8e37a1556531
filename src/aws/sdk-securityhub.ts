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
import type { CallOptions } from './call-options.js';
import { mapFinalError } from './map-final-error.js';
import type { SecurityHubApi } from './securityhub-api.js';

type SecurityHubModule = typeof import('@aws-sdk/client-securityhub');

export class SdkSecurityHubApi implements SecurityHubApi {
  private loaded?: Promise<{ sdk: SecurityHubModule; client: SecurityHubClient }>;

  constructor(private readonly config: SecurityHubClientConfig) {}

  private load(): Promise<{ sdk: SecurityHubModule; client: SecurityHubClient }> {
    this.loaded ??= import('@aws-sdk/client-securityhub').then((sdk) => ({ sdk, client: new sdk.SecurityHubClient(this.config) }));
    return this.loaded;
  }

  batchImportFindings(input: BatchImportFindingsCommandInput, options?: CallOptions): Promise<BatchImportFindingsCommandOutput> {
    return mapFinalError('BatchImportFindings', async () => {
      const { sdk, client } = await this.load();
      return client.send(new sdk.BatchImportFindingsCommand(input), options);
    });
  }

  /** Releases the client's sockets, if it was ever created. */
  async destroy(): Promise<void> {
    if (this.loaded) (await this.loaded).client.destroy();
  }
}
