import { createHash } from 'node:crypto';
import type { Finding } from '../checks/types.js';
import type { ReportedCheck } from '../engine/report-model.js';

/** A stable hex digest of the given parts (joined unambiguously), for ids that must not change between runs. */
export function stableDigest(parts: readonly (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(parts.map((p) => p ?? null))).digest('hex');
}

/**
 * What identifies a finding across runs: check, cluster, node and resource.
 * Cluster-scoped results leave the node out, because the manager that
 * reported them can change from one run to the next (leader election).
 */
export function findingIdentity(finding: Finding, checks: readonly ReportedCheck[]): (string | undefined)[] {
  return [finding.checkId, finding.clusterId, identifyingNode(finding, checks), finding.resource.type, finding.resource.id];
}

/** The instance that is part of a finding's identity: none for a cluster-scoped result of a known cluster. */
export function identifyingNode(finding: Finding, checks: readonly ReportedCheck[]): string | undefined {
  const scope = checks.find((check) => check.id === finding.checkId)?.scope;
  return scope === 'cluster' && finding.clusterId ? undefined : finding.instanceId;
}
