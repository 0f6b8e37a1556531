/**
 * planRemediation: audited hosts + findings -> Plan. Pure and deterministic
 * for a given `now`; the plan carries the hash of the state it was built from.
 */
import type { AuditedHost, Finding } from '../checks/types.js';
import { UsageError } from '../errors.js';
import { clusterViews } from './cluster-view.js';
import { stepIdFactory, type BuilderContext } from './builders/context.js';
import { buildStep, CHECK_BUILDERS } from './builders/registry.js';
import { DEFAULT_PLAN_OPTIONS, PLAN_SCHEMA_VERSION, type Plan, type PlannedStep, type PlanOptions } from './plan.js';
import { dockerName, portNumber } from './quote.js';
import { stateHash } from './state-hash.js';

/** The checks `remediate --checks` accepts: those with a builder (src/remediation/builders/registry.ts). */
export const REMEDIABLE_CHECKS: readonly string[] = CHECK_BUILDERS.map((builder) => builder.checkId);

export interface PlanInput {
  hosts: readonly AuditedHost[];
  findings: readonly Finding[];
  /** Check ids to remediate; all remediable ones when absent. */
  checks?: readonly string[];
  options?: Partial<PlanOptions>;
  now?: Date;
}

export function planRemediation(input: PlanInput): Plan {
  const options: PlanOptions = { ...DEFAULT_PLAN_OPTIONS, ...input.options };
  validateOptions(options, input.hosts);
  const selected = new Set<string>(input.checks ?? REMEDIABLE_CHECKS);
  for (const id of selected) {
    if (!REMEDIABLE_CHECKS.includes(id)) {
      throw new UsageError(`--checks ${id}: not a remediable check (${REMEDIABLE_CHECKS.join(', ')})`, 'UnknownCheck');
    }
  }
  const plan: Plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    createdAt: (input.now ?? new Date()).toISOString(),
    stateHash: stateHash(input.hosts),
    checks: REMEDIABLE_CHECKS.filter((c) => selected.has(c)),
    options,
    clusters: [],
    guidance: [],
  };
  for (const view of clusterViews(input.hosts)) {
    const nextStepId = stepIdFactory(view.clusterId);
    const steps = [];
    for (const { checkId, build } of CHECK_BUILDERS) {
      if (!selected.has(checkId)) continue;
      const findings = input.findings.filter((f) => f.checkId === checkId && f.clusterId === view.clusterId);
      const step: BuilderContext['step'] = (kind, intent, where) => {
        const planned = { clusterId: view.clusterId, instanceId: where.instanceId, kind, intent, id: '' } as PlannedStep;
        const built = buildStep(planned); // throws before an id is taken when a value would not pass into a script
        return { ...built, id: nextStepId(where.idKind ?? kind) };
      };
      const result = build({ view, findings, options, step });
      steps.push(...result.steps);
      plan.guidance.push(...result.guidance);
    }
    if (steps.length > 0) plan.clusters.push({ clusterId: view.clusterId, steps });
  }
  return plan;
}

function validateOptions(options: PlanOptions, hosts: readonly AuditedHost[]): void {
  const known = new Set(hosts.flatMap((h) => (h.facts.services ?? []).map((s) => s.name)));
  for (const u of options.unpublish) {
    dockerName(u.service, '--unpublish service');
    portNumber(u.port, '--unpublish port');
    if (!known.has(u.service)) throw new UsageError(`--unpublish ${u.service}:${u.port}: no audited cluster has a service ${u.service}`, 'UnknownService');
  }
  for (const s of options.hostMode) {
    dockerName(s, '--host-mode service');
    if (!known.has(s)) throw new UsageError(`--host-mode ${s}: no audited cluster has a service ${s}`, 'UnknownService');
  }
}

/** "web:8080" -> {service, port}; for the CLI's --unpublish flag. */
export function parseUnpublish(value: string): { service: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(value);
  if (!m) throw new UsageError(`--unpublish ${JSON.stringify(value)}: expected SERVICE:PORT`, 'Usage');
  return { service: dockerName(m[1], '--unpublish service'), port: portNumber(Number(m[2]), '--unpublish port') };
}
