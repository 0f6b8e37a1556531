import type { Finding, Status } from '../checks/types.js';
import type { StatusCounts } from './report-model.js';

export const STATUSES: readonly Status[] = ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE'];

export function countStatuses(findings: readonly Finding[]): StatusCounts {
  const counts: StatusCounts = { PASS: 0, FAIL: 0, WARN: 0, ERROR: 0, NOT_APPLICABLE: 0 };
  for (const finding of findings) counts[finding.status] += 1;
  return counts;
}
