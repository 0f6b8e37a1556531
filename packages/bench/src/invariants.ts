/**
 * What must hold after swarm-audit's way, whatever the timings: every instance
 * was discovered and got exactly one runner outcome, and with nothing broken
 * on purpose every probe command succeeded (checked before decoding consumes
 * the outcomes); then every instance appears once in the report with at least
 * one finding.
 */
import type { AuditReport } from '../../../src/engine/report-model.js';
import type { CommandOutcome } from '../../../src/fleet/outcome.js';
import type { FleetInstance } from '../../../src/fleet/instance.js';

export interface RunEvidence {
  expectedIds: readonly string[];
  discovered: readonly FleetInstance[];
  outcomes: ReadonlyMap<string, CommandOutcome>;
}

export function invariantProblems(evidence: RunEvidence): string[] {
  return [...discoveryProblems(evidence), ...outcomeProblems(evidence)];
}

function discoveryProblems({ expectedIds, discovered }: RunEvidence): string[] {
  const problems: string[] = [];
  const found = new Set(discovered.map((i) => i.instanceId));
  if (discovered.length !== expectedIds.length || found.size !== expectedIds.length) {
    problems.push(`discovery found ${discovered.length} instances (${found.size} distinct), expected ${expectedIds.length}`);
  }
  const missing = expectedIds.filter((id) => !found.has(id));
  if (missing.length > 0) problems.push(`discovery missed ${missing.length} instances, e.g. ${missing[0]}`);
  const unreachable = discovered.filter((i) => !i.reachable);
  if (unreachable.length > 0) {
    problems.push(`${unreachable.length} instances unreachable, e.g. ${unreachable[0].unreachableReason}`);
  }
  return problems;
}

function outcomeProblems({ expectedIds, outcomes }: RunEvidence): string[] {
  const problems: string[] = [];
  if (outcomes.size !== expectedIds.length) problems.push(`${outcomes.size} runner outcomes for ${expectedIds.length} instances`);
  const without = expectedIds.filter((id) => outcomes.get(id)?.instanceId !== id);
  if (without.length > 0) problems.push(`${without.length} instances without their runner outcome, e.g. ${without[0]}`);
  const failed = [...outcomes.values()].filter((o) => o.status !== 'Success');
  if (failed.length > 0) {
    const first = failed[0];
    const example = `${first.instanceId}: ${first.status} ${first.error ?? ''}`.trim();
    problems.push(`${failed.length} probe commands did not succeed, e.g. ${example}`);
  }
  return problems;
}

export function reportProblems(expectedIds: readonly string[], report: AuditReport): string[] {
  const problems: string[] = [];
  const reported = new Map<string, number>();
  for (const instance of report.instances) reported.set(instance.instanceId, (reported.get(instance.instanceId) ?? 0) + 1);
  const notOnce = expectedIds.filter((id) => reported.get(id) !== 1);
  if (notOnce.length > 0 || report.instances.length !== expectedIds.length) {
    problems.push(`${notOnce.length} instances not reported exactly once (report lists ${report.instances.length})`);
  }
  const withFindings = new Set(report.results.map((f) => f.instanceId));
  const silent = expectedIds.filter((id) => !withFindings.has(id));
  if (silent.length > 0) problems.push(`${silent.length} instances without any finding, e.g. ${silent[0]}`);
  return problems;
}
