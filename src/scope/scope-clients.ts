/**
 * The SDK clients of every scope: one set per (account, region), the role
 * of an account assumed once and its credentials shared by all its regions.
 */
import type { Logger } from 'pino';
import type { AwsClients } from '../aws/client-factory.js';
import type { AwsClientsFactory } from '../cli/context.js';
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

/** Every set is built by `factory` (the CLI context's: the SDK's, or a test's fakes). */
export function createScopeClients(accounts: AccountPlan[], opts: ScopeClientOptions, factory: AwsClientsFactory): AccountClients[] {
  return accounts.map((account) => {
    const [first, ...others] = scopesOf(account);
    // the role is assumed in the account's first region (any region's STS issues credentials valid in all of them); the other regions sign with its credentials
    const firstClients = factory({ ...opts, region: first.region, roleArn: account.roleArn, externalId: account.externalId });
    const { credentials } = firstClients;
    return {
      account,
      credentials: async () => (typeof credentials === 'function' ? credentials() : credentials),
      scopes: [
        { scope: first, clients: firstClients },
        ...others.map((scope) => ({ scope, clients: factory({ ...opts, region: scope.region, credentials }) })),
      ],
    };
  });
}

/** A run of one scope keeps the clients it always had (the CLI's single AWS context): no second AssumeRole. */
export function singleScopeClients(account: AccountPlan, clients: AwsClients): AccountClients {
  const [scope] = scopesOf({ ...account, regions: [clients.region] });
  return { account, credentials: () => Promise.resolve(undefined), scopes: [{ scope, clients }] };
}
