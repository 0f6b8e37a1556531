/** SecurityHubApi over the real SDK: the only file that imports Security Hub commands. */
import {
  BatchImportFindingsCommand,
  type BatchImportFindingsCommandInput,
  type BatchImportFindingsCommandOutput,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { CallOptions } from './call-options.js';
import { mapFinalError } from './map-final-error.js';
import type { SecurityHubApi } from './securityhub-api.js';

export class SdkSecurityHubApi implements SecurityHubApi {
  private client: SecurityHubClient | undefined;

  /** The client is built on first use: only `audit --security-hub` needs it. */
  constructor(private readonly createClient: () => SecurityHubClient) {}

  batchImportFindings(input: BatchImportFindingsCommandInput, options?: CallOptions): Promise<BatchImportFindingsCommandOutput> {
    this.client ??= this.createClient();
    const client = this.client;
    return mapFinalError('BatchImportFindings', () => client.send(new BatchImportFindingsCommand(input), options));
  }

  destroy(): void {
    this.client?.destroy();
    this.client = undefined;
  }
}
