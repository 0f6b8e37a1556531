import type { Finding, Status } from '../checks/types.js';
import type { StatusCounts } from './report-model.js';

export const STATUSES: readonly Status[] = ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE'];

function countStatuses(findings: readonly Finding[]): StatusCounts {
  const counts: StatusCounts = { PASS: 0, FAIL: 0, WARN: 0, ERROR: 0, NOT_APPLICABLE: 0 };
  for (const finding of findings) counts[finding.status] += 1;
  return counts;
}

/** What one scope holds, for its counts: its findings, its instances, its clusters. */
interface ScopeContents {
  findings: readonly Finding[];
  instances: number;
  clusters: number;
}

/** The counts of one scope, in the report summary's shape. */
export function summarize(contents: ScopeContents): StatusCounts & { instances: number; clusters: number } {
  return { ...countStatuses(contents.findings), instances: contents.instances, clusters: contents.clusters };
}
