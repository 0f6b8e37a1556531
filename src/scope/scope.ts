/**
 * A scope is one (account, region) pair: the unit that gets its own SDK
 * clients, its own discovery and probe, and its own line in the report.
 */
import type { ScopeOutcome } from '../engine/report-model.js';

/** One account to audit and the regions to audit it in, as planned from the flags (plan-scopes.ts). */
export interface AccountPlan {
  /** 12 digits; absent: the account of the credentials in use, not asked for unless needed. */
  accountId?: string;
  /** Assumed once for the account; its credentials serve every region of it. */
  roleArn?: string;
  externalId?: string;
  regions: string[];
}

export interface AuditScope {
  accountId?: string;
  region: string;
  roleArn?: string;
}

export function scopesOf(account: AccountPlan): AuditScope[] {
  return account.regions.map((region) => ({
    ...(account.accountId === undefined ? {} : { accountId: account.accountId }),
    region,
    ...(account.roleArn === undefined ? {} : { roleArn: account.roleArn }),
  }));
}

/** "111111111111/eu-west-1", or just the region when the account is the caller's own and was not asked. */
export function scopeName(scope: Pick<AuditScope, 'accountId' | 'region'>): string {
  return scope.accountId === undefined ? scope.region : `${scope.accountId}/${scope.region}`;
}

export function okOutcome(scope: AuditScope): ScopeOutcome {
  return { ...scope, status: 'OK' };
}

export function errorOutcome(scope: AuditScope, cause: string): ScopeOutcome {
  return { ...scope, status: 'ERROR', cause };
}
