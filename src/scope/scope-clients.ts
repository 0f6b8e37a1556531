/**
 * The SDK clients of every scope: one set per (account, region), the role
 * of an account assumed once and its credentials shared by all its regions.
 */
import type { Logger } from 'pino';
import { createAwsClients, createCredentials, type AwsClients } from '../aws/client-factory.js';
import type { AccountPlan, AuditScope } from './scope.js';
import { scopesOf } from './scope.js';

export interface ScopeClients {
  scope: AuditScope;
  clients: AwsClients;
}

export interface AccountClients {
  account: AccountPlan;
  /** Resolves the account's credentials: the AssumeRole of its role (once), or the chain's. */
  credentials: () => Promise<unknown>;
  scopes: ScopeClients[];
}

interface ScopeClientOptions {
  profile?: string;
  endpointUrl?: string;
  logger?: Logger;
}

export function createScopeClients(accounts: AccountPlan[], opts: ScopeClientOptions): AccountClients[] {
  return accounts.map((account) => {
    // STS is asked in the account's first region: any region's STS issues credentials valid in all of them
    const credentials = createCredentials({ ...opts, roleArn: account.roleArn, externalId: account.externalId }, account.regions[0]!);
    return {
      account,
      credentials: async () => (typeof credentials === 'function' ? credentials() : credentials),
      scopes: scopesOf(account).map((scope) => ({
        scope,
        clients: createAwsClients({ ...opts, region: scope.region, credentials }),
      })),
    };
  });
}

/** A run of one scope keeps the clients it always had (the CLI's single AWS context): no second AssumeRole. */
export function singleScopeClients(account: AccountPlan, clients: AwsClients): AccountClients {
  const [scope] = scopesOf({ ...account, regions: [clients.region] });
  return { account, credentials: async () => undefined, scopes: [{ scope: scope!, clients }] };
}
