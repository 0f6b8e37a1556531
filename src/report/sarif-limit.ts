import type { Finding, Severity } from '../checks/types.js';

/** GitHub code scanning rejects a SARIF run with more results than this (it shows the 5,000 most severe). */
export const CODE_SCANNING_MAX_RESULTS = 25_000;

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/**
 * The `max` findings to keep when there are more: FAIL before WARN, then by
 * severity; the kept ones stay in report order.
 */
export function mostSevere(findings: readonly Finding[], max: number): { kept: Finding[]; leftOut: number } {
  if (findings.length <= max) return { kept: [...findings], leftOut: 0 };
  const rank = (f: Finding) => (f.status === 'FAIL' ? 0 : 10) + SEVERITY_RANK[f.severity];
  const order = findings.map((finding, index) => ({ index, rank: rank(finding) })).sort((a, b) => a.rank - b.rank || a.index - b.index);
  const keep = new Set(order.slice(0, max).map((entry) => entry.index));
  return { kept: findings.filter((_, index) => keep.has(index)), leftOut: findings.length - max };
}
