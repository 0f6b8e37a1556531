import type { AuditReport } from '../engine/report-model.js';
import { UsageError } from '../errors.js';
import { formatAsff } from './asff.js';
import type { Formatter, ReportContext } from './context.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';
import { swarmAuditTool } from './tool.js';

export type { AuditTarget, Formatter, ReportContext, ToolInfo } from './context.js';

/** Every formatter has one signature, `(report, ctx) => string` (ESLint's formatters); table first, the default. */
export const formatters = {
  table: formatTable,
  json: formatJson,
  junit: formatJunit,
  sarif: formatSarif,
  markdown: formatMarkdown,
  asff: formatAsff,
} as const satisfies Record<string, Formatter>;

export type ReportFormat = keyof typeof formatters;
export const reportFormats: readonly ReportFormat[] = Object.keys(formatters) as ReportFormat[];

/** The context as callers give it: the audit target is required; the rest has the CLI's defaults. */
export type ReportContextInput = Pick<ReportContext, 'target'> & Partial<Omit<ReportContext, 'target'>>;

export function isReportFormat(format: string): format is ReportFormat {
  return Object.hasOwn(formatters, format);
}

export function formatReport(format: string, report: AuditReport, input: ReportContextInput): string {
  if (!isReportFormat(format)) {
    throw new UsageError(`unknown report format "${format}"; valid formats: ${reportFormats.join(', ')}`, 'UnknownFormat');
  }
  const ctx: ReportContext = {
    tool: input.tool ?? swarmAuditTool(),
    target: input.target,
    failOn: input.failOn ?? 'fail',
    color: input.color ?? false,
  };
  return formatters[format](report, ctx);
}
