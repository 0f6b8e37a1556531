/**
 * `discover` over several scopes: each (account, region) lists its own
 * instances, at once, through one --concurrency limit; each instance carries
 * its scope; a scope that fails is reported with its cause, never skipped.
 */
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { oneLineCause } from '../cli/exit-codes.js';
import type { ScopeOutcome } from '../engine/report-model.js';
import { discoverFleet } from '../fleet/discover.js';
import type { FleetInstance } from '../fleet/instance.js';
import type { TagQuery } from '../fleet/tag-query.js';
import type { AccountClients } from './scope-clients.js';
import { errorOutcome, okOutcome, scopeName } from './scope.js';
import { throughLimit } from './shared-limit.js';

interface ScopedDiscovery {
  instances: FleetInstance[];
  scopes: ScopeOutcome[];
}

export async function discoverScopes(accounts: AccountClients[], query: TagQuery, opts: { logger: Logger; concurrency: number }): Promise<ScopedDiscovery> {
  const limit = pLimit(opts.concurrency);
  const perAccount = await Promise.all(
    accounts.map(async (account) => {
      const { roleArn } = account.account;
      try {
        if (roleArn !== undefined) await account.credentials();
      } catch (err) {
        const cause = `cannot assume ${roleArn}: ${oneLineCause(err)}`;
        return account.scopes.map(({ scope }) => ({ outcome: errorOutcome(scope, cause), instances: [] as FleetInstance[] }));
      }
      return Promise.all(
        account.scopes.map(async ({ scope, clients }) => {
          try {
            const deps = { ec2: throughLimit(clients.ec2, limit), ssm: throughLimit(clients.ssm, limit), logger: opts.logger.child({ scope: scopeName(scope) }) };
            const found = await discoverFleet(deps, query);
            const fields = { ...(scope.accountId === undefined ? {} : { accountId: scope.accountId }), region: scope.region };
            return { outcome: okOutcome(scope), instances: found.map((instance) => ({ ...instance, ...fields })) };
          } catch (err) {
            return { outcome: errorOutcome(scope, oneLineCause(err)), instances: [] as FleetInstance[] };
          }
        }),
      );
    }),
  );
  const runs = perAccount.flat();
  return { instances: runs.flatMap((run) => run.instances), scopes: runs.map((run) => run.outcome) };
}
