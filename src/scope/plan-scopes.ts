/**
 * Which (account, region) scopes a run covers, from the flags, checked
 * before any AWS call (a UsageError: exit 3):
 *
 *   --region a,b --region c          regions (repeatable, comma-separated)
 *   --accounts-file F                accounts, roles, optional regions each
 *   --role-arn-template T --accounts 111111111111,222222222222
 *                                    one role per account, T's {account} replaced
 *   --role-arn R                     one account (the role's), as before
 *   none of them                     the credentials' own account
 */
import { UsageError } from '../errors.js';
import { resolveRegion } from '../aws/region.js';
import { loadAccountsFile } from './accounts-file.js';
import { ACCOUNT_ID_PATTERN, REGION_PATTERN, ROLE_ARN_PATTERN } from './patterns.js';
import type { AccountPlan } from './scope.js';

interface ScopeArgs {
  /** --region: one region or several, comma-separated (the CLI joins repeated flags). */
  region?: string;
  profile?: string;
  roleArn?: string;
  accountsFile?: string;
  accounts?: string[];
  roleArnTemplate?: string;
  /** --account-id: names the credentials' own account (single-account runs only). */
  accountId?: string;
}

const ACCOUNT_PLACEHOLDER = '{account}';

export async function planScopes(args: ScopeArgs, env: NodeJS.ProcessEnv = process.env): Promise<AccountPlan[]> {
  assertFlagCombination(args);
  const regions = regionList(args, env);
  if (args.accountsFile !== undefined) return loadAccountsFile(args.accountsFile, regions);
  if (args.roleArnTemplate !== undefined) return templateAccounts(args.roleArnTemplate, args.accounts ?? [], regions());
  const roleAccount = args.roleArn === undefined ? undefined : roleArnAccount(args.roleArn);
  if (args.accountId !== undefined && roleAccount !== undefined && args.accountId !== roleAccount) {
    throw new UsageError(`--account-id ${args.accountId} is not the account of --role-arn (${roleAccount})`, 'ScopeFlagsConflict');
  }
  const accountId = args.accountId ?? roleAccount;
  return [
    {
      ...(accountId === undefined ? {} : { accountId }),
      ...(args.roleArn === undefined ? {} : { roleArn: args.roleArn }),
      regions: regions(),
    },
  ];
}

function assertFlagCombination(args: ScopeArgs): void {
  const conflict = (a: string, b: string) => new UsageError(`${a} and ${b} cannot be combined`, 'ScopeFlagsConflict');
  if (args.accountsFile !== undefined) {
    if (args.roleArnTemplate !== undefined) throw conflict('--accounts-file', '--role-arn-template');
    if (args.accounts !== undefined) throw conflict('--accounts-file', '--accounts');
    if (args.roleArn !== undefined) throw conflict('--accounts-file', '--role-arn');
    if (args.accountId !== undefined) throw conflict('--accounts-file', '--account-id (the file names each account)');
  }
  if (args.roleArnTemplate !== undefined && args.roleArn !== undefined) throw conflict('--role-arn-template', '--role-arn');
  if (args.roleArnTemplate !== undefined && args.accountId !== undefined) throw conflict('--role-arn-template', '--account-id (--accounts names them)');
  if (args.roleArnTemplate !== undefined && !args.accounts?.length) {
    throw new UsageError('--role-arn-template needs --accounts (the account ids to fill {account} with)', 'ScopeFlagsConflict');
  }
  if (args.accounts !== undefined && args.roleArnTemplate === undefined) {
    throw new UsageError("--accounts needs --role-arn-template (e.g. 'arn:aws:iam::{account}:role/SwarmAudit')", 'ScopeFlagsConflict');
  }
}

/** The --region values, checked and deduplicated, else the one region of the environment (resolved only when needed). */
function regionList(args: ScopeArgs, env: NodeJS.ProcessEnv): () => string[] {
  const listed = (args.region ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  if (listed.length === 0) return () => [resolveRegion(undefined, args.profile, env)];
  const pattern = new RegExp(REGION_PATTERN);
  for (const region of listed) {
    if (!pattern.test(region)) throw new UsageError(`--region: "${region}" is not an AWS region name (like eu-west-1)`, 'RegionInvalid');
  }
  const regions = [...new Set(listed)];
  return () => regions;
}

function templateAccounts(template: string, accounts: string[], regions: string[]): AccountPlan[] {
  if (template.split(ACCOUNT_PLACEHOLDER).length !== 2) {
    throw new UsageError(`--role-arn-template must contain ${ACCOUNT_PLACEHOLDER} exactly once, got "${template}"`, 'RoleArnTemplateInvalid');
  }
  const accountPattern = new RegExp(ACCOUNT_ID_PATTERN);
  const seen = new Set<string>();
  return accounts.map((accountId) => {
    if (!accountPattern.test(accountId)) throw new UsageError(`--accounts: "${accountId}" is not a 12-digit account id`, 'AccountIdInvalid');
    if (seen.has(accountId)) throw new UsageError(`--accounts: ${accountId} is listed twice`, 'AccountIdInvalid');
    seen.add(accountId);
    const roleArn = template.replace(ACCOUNT_PLACEHOLDER, accountId);
    if (roleArnAccount(roleArn) !== accountId) {
      throw new UsageError(`--role-arn-template: "${roleArn}" is not an IAM role ARN in account ${accountId}`, 'RoleArnTemplateInvalid');
    }
    return { accountId, roleArn, regions };
  });
}

/** The account of a role ARN, or undefined when it is no role ARN. */
function roleArnAccount(arn: string): string | undefined {
  if (!new RegExp(ROLE_ARN_PATTERN).test(arn)) return undefined;
  return /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
}
