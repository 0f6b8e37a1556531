import type { Severity } from './types.js';

/** Our severities as AWS names them, the same in Security Hub (ASFF) and SSM Compliance. */
export const AWS_SEVERITY_LABEL = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
} as const satisfies Record<Severity, string>;
