/**
 * applyPlan: executes a reviewed plan against the live fleet, only what it
 * meant and where it meant it. Refuses a step on an instance outside its
 * cluster, drift, and a stale plan; refuses when IPsec evidence says
 * encryption would blackhole traffic (unless force); journals the plan (its
 * intents, digest and instances) before acting; one cluster at a time, one
 * step (so one node) at a time; stops at the first failed step (a failed
 * post-move SA check included) and rolls that cluster back unless noRollback.
 */
import type { Logger } from 'pino';
import type { AuditedHost, Finding } from '../checks/types.js';
import { ToolError, UsageError } from '../errors.js';
import { clusterViews, type ClusterView } from './cluster-view.js';
import type { Confirm } from './confirm.js';
import { ipsecPrecheck, verifyServiceSas, type SecurityGroupRules } from './ipsec.js';
import { instancesOf, plannedOf } from './builders/registry.js';
import { CHECK_TIMEOUT_MS } from './builders/scripts.js';
import { JOURNAL_VERSION, JournalWriter, pendingUndos, planInstances, type JournalRecord, type NewRecord, type PendingUndo } from './journal.js';
import type { ClusterPlan, Plan, Step } from './plan.js';
import { stepCount } from './plan.js';
import { planRemediation } from './plan-remediation.js';
import { planDigest, savedPlanOf } from './saved-plan.js';
import { describeFailure, succeeded, type RemoteShell } from './remote-shell.js';
import { runRemoteScript } from './run-script.js';
import { canonicalJson, stateHash, stateSnapshot } from './state-hash.js';

export interface ApplyDeps {
  shell: RemoteShell;
  /** A fresh audit of the same fleet: the membership, drift and stale-plan checks and the IPsec precheck read it. */
  refreshState: () => Promise<{ hosts: AuditedHost[]; findings: Finding[] }>;
  logger: Logger;
  /** Asked once after the checks; absent means confirmed (the CLI decides: confirmationPolicy). */
  confirm?: Confirm;
  /** Loads the ingress rules of these security groups (EC2); a member whose groups allow no ESP fails the IPsec precheck. */
  securityGroupRules?: (groupIds: string[]) => Promise<SecurityGroupRules>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

export interface ApplyOptions {
  journalPath: string;
  force?: boolean;
  noRollback?: boolean;
  /** Test hook: called after each journalled step (the kill -9 test uses it to pick its moment). */
  onStepDone?: (step: Step) => void;
}

type ClusterOutcome =
  | { clusterId: string; status: 'applied' }
  | { clusterId: string; status: 'failed' | 'rolled-back' | 'rollback-failed'; failedStep: string; error: string }
  | { clusterId: string; status: 'skipped' };

export interface ApplyResult {
  status: 'nothing-to-do' | 'declined' | 'applied' | 'failed';
  /** The digest of the plan that ran (saved-plan.ts): the one the reviewer saw. */
  planDigest: string;
  clusters: ClusterOutcome[];
  warnings: string[];
  journalPath?: string;
}

export const FORCE_SA_WARNING = '--force: SA check not enforced';

/** The CLI's exit code for an apply that ran: 1 when a cluster failed or was rolled back (a post-move SA check included), else 0. */
export function applyExitCode(result: ApplyResult): number {
  return result.status === 'failed' ? 1 : 0;
}

/**
 * Runs what the reviewed plan meant, where it meant it. A fresh audit first:
 * every instance of every step must be a live member of the step's cluster,
 * the state must still hash to the plan's, and planning again from it (same
 * checks and options) must give the same intents (a saved plan is stale
 * otherwise). What runs is that fresh plan: scripts built by the builders
 * from intents equal to the reviewed ones.
 */
export async function applyPlan(deps: ApplyDeps, plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const log = deps.logger;
  const digest = planDigest(plan);
  const { hosts, findings } = await deps.refreshState();
  const views = new Map(clusterViews(hosts).map((v) => [v.clusterId, v]));
  refuseNonMembers(plan, views);
  const liveHash = stateHash(hosts);
  if (liveHash !== plan.stateHash) {
    throw new UsageError(
      `the live state no longer matches the plan (planned from ${plan.stateHash}, live ${liveHash}): audit and plan again`,
      'PlanDrift',
    );
  }
  const fresh = refuseStale(plan, planRemediation({ hosts, findings, checks: plan.checks, options: plan.options }));
  if (stepCount(fresh) === 0) return { status: 'nothing-to-do', planDigest: digest, clusters: [], warnings: [] };

  const warnings = ipsecGate(fresh, views, await securityGroupsIfNeeded(deps, fresh, hosts), Boolean(opts.force));
  if (deps.confirm && !(await deps.confirm(fresh))) return { status: 'declined', planDigest: digest, clusters: [], warnings };

  const journal = JournalWriter.create(opts.journalPath, deps.now);
  try {
    const saved = savedPlanOf(fresh);
    if (saved.digest !== digest) throw new ToolError('PlanDigestMismatch', `the plan about to run hashes to ${saved.digest}, not the reviewed ${digest}`);
    journal.write({ type: 'begin', v: JOURNAL_VERSION, planDigest: digest, instances: planInstances(saved), plan: saved, preState: stateSnapshot(hosts) });
    for (const w of warnings) journal.write({ type: 'warning', message: w });
    const clusters: ClusterOutcome[] = [];
    let failed = false;
    for (const cluster of fresh.clusters) {
      if (failed) {
        clusters.push({ clusterId: cluster.clusterId, status: 'skipped' });
        continue;
      }
      const outcome = await applyCluster({ ...deps, journal, warnings }, cluster, views.get(cluster.clusterId)!, opts);
      clusters.push(outcome);
      failed = outcome.status !== 'applied';
      log.info({ cluster: cluster.clusterId, status: outcome.status }, 'cluster done');
    }
    const status = failed ? 'failed' : 'applied';
    journal.write({ type: 'end', status });
    return { status, planDigest: digest, clusters, warnings, journalPath: opts.journalPath };
  } finally {
    journal.close();
  }
}

/** Every instance a step runs anything on must be a live member of the step's cluster (fresh discovery and audit). */
function refuseNonMembers(plan: Plan, views: Map<string, ClusterView>): void {
  for (const cluster of plan.clusters) {
    const view = views.get(cluster.clusterId);
    if (!view) throw new UsageError(`cluster ${cluster.clusterId} of the plan is not in the live audit`, 'PlanDrift');
    const members = new Set(view.members.map((m) => m.instance.instanceId));
    for (const step of cluster.steps) {
      const stranger = instancesOf(step).find((id) => !members.has(id));
      if (stranger) throw new UsageError(`plan step ${step.id}: instance ${stranger} is not a member of cluster ${cluster.clusterId}`, 'PlanInvalid');
    }
  }
}

/**
 * The reviewed plan's steps must be what planning from the live state gives
 * now (Terraform's "saved plan is stale"). Guidance is prose from the
 * findings and runs nothing: the reviewed one is kept.
 */
function refuseStale(plan: Plan, fresh: Plan): Plan {
  const intents = (p: Plan) => new Map(p.clusters.flatMap((c) => c.steps.map((s) => [s.id, canonicalJson(plannedOf(s))] as const)));
  const reviewed = intents(plan);
  const now = intents(fresh);
  const differ = [...new Set([...reviewed.keys(), ...now.keys()])].flatMap((id) => {
    if (!now.has(id)) return [`${id} (not planned now)`];
    if (!reviewed.has(id)) return [`${id} (planned now, not in the reviewed plan)`];
    return reviewed.get(id) === now.get(id) ? [] : [`${id} (different now)`];
  });
  const order = (p: Plan) => p.clusters.flatMap((c) => c.steps.map((s) => s.id)).join(' ');
  if (differ.length === 0 && order(plan) !== order(fresh)) differ.push('the order of the steps');
  if (differ.length > 0) {
    throw new UsageError(`the plan is stale: planning again from the live state, steps differ: ${differ.join(', ')}; review a new plan`, 'PlanStale');
  }
  return { ...fresh, createdAt: plan.createdAt, guidance: plan.guidance };
}

/** Steps that carry an IPsec SA check move services onto an encrypted network. */
function movesOntoEncrypted(cluster: ClusterPlan): boolean {
  return cluster.steps.some((s) => s.verify?.kind === 'ipsec-sa');
}

/** Security group rules matter only to a plan that moves services onto encrypted networks. */
async function securityGroupsIfNeeded(deps: ApplyDeps, plan: Plan, hosts: AuditedHost[]): Promise<SecurityGroupRules | undefined> {
  if (!deps.securityGroupRules || !plan.clusters.some(movesOntoEncrypted)) return undefined;
  return deps.securityGroupRules([...new Set(hosts.flatMap((h) => h.instance.securityGroups.map((g) => g.groupId)))]);
}

/** Refuses (unless force) when a cluster about to move services onto encrypted networks shows IPsec not working. */
function ipsecGate(plan: Plan, views: Map<string, ClusterView>, groups: SecurityGroupRules | undefined, force: boolean): string[] {
  const warnings: string[] = [];
  for (const cluster of plan.clusters) {
    const view = views.get(cluster.clusterId);
    if (!view) throw new UsageError(`cluster ${cluster.clusterId} of the plan is not in the live audit`, 'PlanDrift');
    if (!movesOntoEncrypted(cluster)) continue;
    const verdict = ipsecPrecheck(view, groups);
    if (verdict.ok) continue;
    const text = `cluster ${cluster.clusterId}: IPsec does not work, encrypted networks would blackhole traffic: ${verdict.reasons.join('; ')}`;
    if (!force) throw new UsageError(`${text}. Fix IPsec (ESP between nodes, kernel xfrm support) or pass --force.`, 'IpsecNotWorking');
    warnings.push(`--force: ${text}`);
  }
  return warnings;
}

interface ClusterDeps extends ApplyDeps {
  journal: JournalWriter;
  warnings: string[];
}

async function applyCluster(deps: ClusterDeps, cluster: ClusterPlan, view: ClusterView, opts: ApplyOptions): Promise<ClusterOutcome> {
  const { journal } = deps;
  const records: JournalRecord[] = [];
  const write = (r: NewRecord) => {
    journal.write(r);
    records.push({ ...r, at: '' });
  };
  const stepsById = new Map(cluster.steps.map((s) => [s.id, s]));
  write({ type: 'cluster-started', clusterId: cluster.clusterId });
  for (const step of cluster.steps) {
    const error = await runStep(deps, step, view, write, Boolean(opts.force));
    if (error === undefined) {
      opts.onStepDone?.(step);
      continue;
    }
    deps.logger.error({ step: step.id, error }, 'step failed');
    if (opts.noRollback) {
      write({ type: 'cluster-done', clusterId: cluster.clusterId, status: 'failed' });
      return { clusterId: cluster.clusterId, status: 'failed', failedStep: step.id, error };
    }
    const rollback = await undoAll(deps.shell, deps.logger, write, pendingUndos(records, stepsById), 'rollback');
    const status = rollback.ok ? 'rolled-back' : 'rollback-failed';
    write({ type: 'cluster-done', clusterId: cluster.clusterId, status });
    return { clusterId: cluster.clusterId, status, failedStep: step.id, error: rollback.ok ? error : `${error}; rollback stopped at ${rollback.stepId}: ${rollback.error}` };
  }
  write({ type: 'cluster-done', clusterId: cluster.clusterId, status: 'applied' });
  return { clusterId: cluster.clusterId, status: 'applied' };
}

/** Runs one step; returns undefined on success, else why it failed. */
async function runStep(
  deps: ClusterDeps,
  step: Step,
  view: ClusterView,
  write: (r: NewRecord) => void,
  force: boolean,
): Promise<string | undefined> {
  deps.logger.info({ step: step.id, on: step.instanceId }, step.title);
  const ref = { stepId: step.id, kind: step.kind, instanceId: step.instanceId };
  const pre = await deps.shell.run(step.instanceId, step.precondition.script, { timeoutMs: CHECK_TIMEOUT_MS });
  if (!succeeded(pre)) {
    const error = `precondition not met (${step.precondition.expect}): ${describeFailure(pre)}`;
    write({ type: 'step-failed', ...ref, error });
    return error;
  }
  write({ type: 'step-started', clusterId: step.clusterId, title: step.title, ...ref });
  let error: string | undefined;
  try {
    const out = await runRemoteScript(deps.shell, step);
    if (!succeeded(out)) error = describeFailure(out);
  } catch (err) {
    error = (err as Error).message;
  }
  if (error === undefined && step.verify) {
    const verdict = await verifyServiceSas({ shell: deps.shell, sleep: deps.sleep ?? sleep }, view, step.verify.service, step.verify.network, force ? { attempts: 1 } : {});
    const subject = `${step.verify.service} on ${step.verify.network}`;
    if (force) {
      // Under --force the check is informative only, and every move says so in the journal.
      const detail = verdict.ok ? `SAs present or nothing to pair (${verdict.reasons.join('; ') || 'ok'})` : `IPsec SAs missing: ${verdict.reasons.join('; ')}`;
      const warning = `${FORCE_SA_WARNING} for ${subject}: ${detail}`;
      deps.warnings.push(warning);
      write({ type: 'warning', stepId: step.id, message: warning });
    } else if (!verdict.ok) {
      error = `IPsec SAs missing for ${subject}: ${verdict.reasons.join('; ')}; rolling the service back`;
    }
  }
  if (error !== undefined) {
    write({ type: 'step-failed', ...ref, error });
    return error;
  }
  write({ type: 'step-done', ...ref });
  return undefined;
}

/** Runs the undos in order (latest step first); stops at the first undo that fails. */
export async function undoAll(
  shell: RemoteShell,
  logger: Logger,
  write: (r: NewRecord) => void,
  undos: readonly PendingUndo[],
  phase: 'rollback' | 'backout',
): Promise<{ ok: true } | { ok: false; stepId: string; error: string }> {
  for (const undo of undos) {
    logger.info({ step: undo.stepId, phase }, `undo: ${undo.title}`);
    write({ type: 'undo-started', phase, stepId: undo.stepId });
    let error: string | undefined;
    try {
      const out = await runRemoteScript(shell, undo.inverse);
      if (!succeeded(out)) error = describeFailure(out);
    } catch (err) {
      error = (err as Error).message;
    }
    if (error !== undefined) {
      write({ type: 'undo-failed', phase, stepId: undo.stepId, error });
      logger.error({ step: undo.stepId, error }, 'undo failed');
      return { ok: false, stepId: undo.stepId, error };
    }
    write({ type: 'undo-done', phase, stepId: undo.stepId });
  }
  return { ok: true };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
