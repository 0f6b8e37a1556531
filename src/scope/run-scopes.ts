/**
 * The audit of many scopes in one report: each (account, region) discovers
 * and probes its own fleet, all at once, their AWS calls sharing one
 * --concurrency limit; one evaluation then groups clusters within each scope
 * and counts per scope.
 *
 * A scope that fails (the role cannot be assumed, the region is not enabled,
 * the API throttles past every retry or does not answer) becomes an ERROR
 * entry with the cause, which makes the exit code 2; the others still
 * report. A run of one scope keeps the single-scope contract: its failure is
 * the run's error (exit 3 for credentials, 2 when nothing answered).
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import { probeFleet, type AuditOptions, type AuditRun } from '../audit/run-audit.js';
import type { AwsClients } from '../aws/client-factory.js';
import { oneLineCause } from '../cli/exit-codes.js';
import type { HostInput } from '../engine/host-input.js';
import { evaluateFleet } from '../engine/evaluate.js';
import type { ScopeOutcome } from '../engine/report-model.js';
import { discoverFleet } from '../fleet/discover.js';
import { assertSomethingAuditable } from '../fleet/fleet-scope.js';
import type { FleetInstance } from '../fleet/instance.js';
import { parseTagArgs, type TagQuery } from '../fleet/tag-query.js';
import type { AccountClients, ScopeClients } from './scope-clients.js';
import { errorOutcome, okOutcome, scopeName } from './scope.js';
import { throughLimit } from './shared-limit.js';

interface ScopedAuditDeps {
  accounts: AccountClients[];
  logger: Logger;
  now?: () => Date;
}

interface ScopeRun {
  outcome: ScopeOutcome;
  instances: FleetInstance[];
  hosts: HostInput[];
}

export async function auditScopes(deps: ScopedAuditDeps, options: AuditOptions): Promise<AuditRun> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const query = parseTagArgs(options.tags, options.tagKeys);
  const limit = pLimit(options.concurrency);
  const single = deps.accounts.flatMap((a) => a.scopes).length === 1;
  const runs = (await Promise.all(deps.accounts.map((account) => auditAccount(account, { ...deps, limit, single, query, options })))).flat();
  if (runs.every((run) => run.outcome.status === 'OK')) {
    const regions = [...new Set(runs.map((run) => scopeName(run.outcome)))].join(', ');
    assertSomethingAuditable(runs.flatMap((run) => run.instances), { query, region: regions, allowEmpty: options.allowEmpty ?? false });
  }
  const hosts = runs.flatMap((run) => run.hosts);
  const report = evaluateFleet({
    hosts,
    checks: options.checks,
    config: options.config,
    startedAt,
    finishedAt: now(),
    scopes: runs.map((run) => run.outcome),
  });
  return { report, hosts, instances: runs.flatMap((run) => run.instances) };
}

interface RunContext extends ScopedAuditDeps {
  limit: LimitFunction;
  single: boolean;
  query: TagQuery;
  options: AuditOptions;
}

/** The account's role is assumed once, up front: when that fails, every region of the account is an ERROR scope with the cause. */
async function auditAccount(account: AccountClients, ctx: RunContext): Promise<ScopeRun[]> {
  if (account.account.roleArn !== undefined) {
    try {
      await account.credentials();
    } catch (err) {
      if (ctx.single) throw err;
      const cause = `cannot assume ${account.account.roleArn}: ${oneLineCause(err)}`;
      ctx.logger.error({ accountId: account.account.accountId, cause }, 'account not audited');
      return account.scopes.map(({ scope }) => ({ outcome: errorOutcome(scope, cause), instances: [], hosts: [] }));
    }
  }
  return Promise.all(account.scopes.map((scope) => auditScope(scope, ctx)));
}

async function auditScope({ scope, clients }: ScopeClients, ctx: RunContext): Promise<ScopeRun> {
  const api = limitedClients(clients, ctx.limit);
  const logger = ctx.logger.child({ scope: scopeName(scope) });
  let instances: FleetInstance[] = [];
  try {
    instances = (await discoverFleet({ ...api, logger }, ctx.query)).map((instance) => ({ ...instance, ...scopeFields(scope) }));
    const hosts = await probeFleet({ ...api, logger }, instances, ctx.options);
    return { outcome: okOutcome(scope), instances, hosts };
  } catch (err) {
    if (ctx.single) throw err;
    const cause = oneLineCause(err);
    logger.error({ cause }, 'scope not audited');
    // instances found before the failure stay in the report, ERROR with the scope's cause: nothing found is dropped
    const hosts: HostInput[] = instances.map((instance) => ({ instance, probe: { ok: false, status: 'ERROR', message: `not audited: ${cause}` } }));
    return { outcome: errorOutcome(scope, cause), instances, hosts };
  }
}

function scopeFields(scope: ScopeClients['scope']): Pick<FleetInstance, 'accountId' | 'region'> {
  return { ...(scope.accountId === undefined ? {} : { accountId: scope.accountId }), region: scope.region };
}

function limitedClients(clients: AwsClients, limit: LimitFunction) {
  return { ssm: throughLimit(clients.ssm, limit), ec2: throughLimit(clients.ec2, limit), s3: throughLimit(clients.s3, limit) };
}
