/**
 * How a check is run, the same in the engine and in the check tests: its
 * declared facts are looked up first (a fact it reads that the probe could
 * not collect gives one ERROR naming the cause, and the check is not called),
 * then evaluate gets its options (config over defaults).
 */
import { factUnavailable } from '../probe/fact-sections.js';
import type { HostFacts } from '../probe/facts.js';
import type { AuditConfig, AuditedHost, Check, CheckMeta, CheckOptions, CheckResult, ClusterCheck, NodeCheck, Resource } from './types.js';

/** Why the check cannot decide on these facts (the first of its `reads` that is unavailable), or undefined. */
export function unavailableRead(meta: Pick<CheckMeta, 'reads'>, facts: HostFacts): string | undefined {
  for (const fact of meta.reads) {
    const why = factUnavailable(facts, fact);
    if (why) return why;
  }
  return undefined;
}

/** The check's options for this run: what the config says for its id, over its defaults. */
function optionsOf(check: Check, config: AuditConfig): CheckOptions {
  return { ...check.defaultOptions, ...config.checks[check.meta.id] };
}

/** `resource` is where an ERROR for a missing fact is reported (the node). */
export function runNodeCheck(check: NodeCheck, host: AuditedHost, config: AuditConfig, resource: Resource): CheckResult[] {
  const missing = unavailableRead(check.meta, host.facts);
  if (missing) return [{ status: 'ERROR', resource, message: missing }];
  return check.evaluateNode({ host, options: optionsOf(check, config) });
}

export interface ClusterInput {
  clusterId: string;
  /** The manager whose facts describe the cluster for this check. */
  manager: AuditedHost;
  members: AuditedHost[];
}

/** A missing fact is reported on the cluster; the manager must hold the check's `reads`. */
export function runClusterCheck(check: ClusterCheck, input: ClusterInput, config: AuditConfig): CheckResult[] {
  const missing = unavailableRead(check.meta, input.manager.facts);
  if (missing) return [{ status: 'ERROR', resource: { type: 'cluster', id: input.clusterId }, message: missing }];
  return check.evaluateCluster({ ...input, options: optionsOf(check, config) });
}
