import type { AuditReport } from './report-model.js';

export type FailOn = 'fail' | 'warn';

/**
 * 1 when something failed (or warned, with failOn "warn"), else 2 when
 * something could not be decided (an ERROR result, or a scope that could not
 * be audited at all), else 0. A failure beats an error: a known
 * problem must not be hidden behind "incomplete" in CI. Usage errors (3) are
 * the CLI's business.
 */
export function exitCodeFor(report: AuditReport, failOn: FailOn): 0 | 1 | 2 {
  const { FAIL, WARN, ERROR } = report.summary;
  if (FAIL > 0 || (failOn === 'warn' && WARN > 0)) return 1;
  if (ERROR > 0 || report.scopes?.some((scope) => scope.status === 'ERROR')) return 2;
  return 0;
}
