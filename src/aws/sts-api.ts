/** The narrow slice of STS that swarm-audit uses: who the credentials belong to. */
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { CallOptions } from './call-options.js';

export interface StsApi {
  getCallerIdentity(options?: CallOptions): Promise<GetCallerIdentityCommandOutput>;
}
