import type { AuditReport } from '../engine/report-model.js';
import { UsageError } from '../errors.js';
import { formatAsff } from './asff.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';

export const reportFormats = ['table', 'json', 'junit', 'sarif', 'markdown', 'asff'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface ReportOptions {
  /** Table only: ANSI colours (when stdout is a terminal). */
  color?: boolean;
  /** ASFF only. */
  accountId?: string;
  /** ASFF only. */
  region?: string;
}

export function isReportFormat(format: string): format is ReportFormat {
  return (reportFormats as readonly string[]).includes(format);
}

export function formatReport(format: string, report: AuditReport, options: ReportOptions = {}): string {
  if (!isReportFormat(format)) {
    throw new UsageError(`unknown report format "${format}"; valid formats: ${reportFormats.join(', ')}`, 'UnknownFormat');
  }
  switch (format) {
    case 'table':
      return formatTable(report, { color: options.color ?? false });
    case 'json':
      return formatJson(report);
    case 'junit':
      return formatJunit(report);
    case 'sarif':
      return formatSarif(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'asff':
      return formatAsff(report, { accountId: options.accountId ?? '', region: options.region ?? '' });
  }
}
