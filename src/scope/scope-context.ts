/**
 * The AWS side of discover and audit from their flags: the planned scopes
 * (checked before any call) and their clients. A run of one scope uses the
 * CLI's single AWS context exactly as before; several scopes get one client
 * set each (scope-clients.ts).
 */
import { UsageError } from '../errors.js';
import { resolveAccountId } from '../aws/sts-account.js';
import { createAwsClients } from '../aws/client-factory.js';
import { awsContext } from '../cli/aws-context.js';
import type { AwsClientsFactory } from '../cli/context.js';
import type { DiscoveryArgs } from '../cli/options.js';
import { planScopes } from './plan-scopes.js';
import { scopesOf, type AccountPlan, type AuditScope } from './scope.js';
import { createScopeClients, singleScopeClients, type AccountClients } from './scope-clients.js';

interface ScopeContext {
  /** The first scope's clients and the logger: what a single-scope run uses for everything. */
  aws: ReturnType<typeof awsContext>;
  accounts: AccountClients[];
  /** More than one (account, region) pair. */
  multi: boolean;
  /** Every region of the run, in plan order (the report's target). */
  regions: string[];
  /** The one account of the run when there is one and it is known. */
  accountId?: string;
  /** Every (account, region) of a run of several (the report target's scopes); absent for one. */
  scopes?: AuditScope[];
}

interface ScopeContextOptions {
  /** Ask STS for the credentials' own account when the plan does not name it (ASFF, --account-id checks). */
  resolveOwnAccount: boolean;
  env?: NodeJS.ProcessEnv;
  /** Builds every client set (CliContext.awsClients); default: the SDK's. */
  awsClients?: AwsClientsFactory;
}

export async function scopeContext(args: DiscoveryArgs & { accountId?: string }, options: ScopeContextOptions): Promise<ScopeContext> {
  const plan = await planScopes(args, options.env);
  const factory = options.awsClients ?? createAwsClients;
  const aws = awsContext({ ...args, region: plan[0].regions[0] }, factory);
  if (options.resolveOwnAccount) await nameOwnAccount(plan, aws.sts, args.accountId);
  const multi = plan.length > 1 || plan[0].regions.length > 1;
  const accounts = multi
    ? createScopeClients(plan, { profile: args.profile, endpointUrl: args.endpointUrl, logger: aws.logger }, factory)
    : [singleScopeClients(plan[0], aws)];
  const accountIds = [...new Set(plan.map((account) => account.accountId))];
  const regions = [...new Set(plan.flatMap((account) => account.regions))];
  const accountId = accountIds.length === 1 ? accountIds[0] : undefined;
  return {
    aws,
    accounts,
    multi,
    regions,
    ...(accountId === undefined ? {} : { accountId }),
    ...(multi ? { scopes: plan.flatMap(scopesOf).map(({ accountId: id, region }) => ({ ...(id === undefined ? {} : { accountId: id }), region })) } : {}),
  };
}

/** The entry without a role is the credentials' own account: STS GetCallerIdentity names it (unless --account-id did). */
async function nameOwnAccount(plan: AccountPlan[], sts: ReturnType<typeof awsContext>['sts'], explicit: string | undefined): Promise<void> {
  for (const account of plan) {
    if (account.accountId === undefined) account.accountId = await resolveAccountId(sts, explicit);
  }
}

/** Uploads go to one account's SSM or Security Hub: refused, before any call, for a run of several scopes. */
export function assertOneScopeFor(context: ScopeContext, flag: string): void {
  if (context.multi) throw new UsageError(`${flag} uploads to one account and region; it cannot be combined with several regions or accounts`, 'ScopeFlagsConflict');
}
