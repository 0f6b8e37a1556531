/** The narrow slice of Security Hub that swarm-audit uses: importing findings. */
import type { BatchImportFindingsCommandInput, BatchImportFindingsCommandOutput } from '@aws-sdk/client-securityhub';
import type { CallOptions } from './call-options.js';

export type { AwsSecurityFinding, ComplianceStatus } from '@aws-sdk/client-securityhub';

export interface SecurityHubApi {
  /** At most 100 findings per call (AWS's limit); FailedFindings lists the ones refused. */
  batchImportFindings(input: BatchImportFindingsCommandInput, options?: CallOptions): Promise<BatchImportFindingsCommandOutput>;
}
