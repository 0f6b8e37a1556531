import type { AuditReport } from '../engine/report-model.js';
import { UsageError } from '../errors.js';
import { formatAsff } from './asff.js';
import type { Formatter, ReportContext } from './context.js';
import { formatJson, jsonReportChunks } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';
import { swarmAuditTool } from './tool.js';
import { REPORT_FORMATS, type ReportFormat } from './format-names.js';

export type { Formatter } from './context.js';

/** Every formatter has one signature, `(report, ctx) => string` (ESLint's formatters); table first, the default. */
export const formatters = {
  table: formatTable,
  json: formatJson,
  junit: formatJunit,
  sarif: formatSarif,
  markdown: formatMarkdown,
  asff: formatAsff,
} as const satisfies Record<ReportFormat, Formatter>;

export type { ReportFormat } from './format-names.js';
export const reportFormats: readonly ReportFormat[] = REPORT_FORMATS;

/** The context as callers give it: the audit target is required; the rest has the CLI's defaults. */
export type ReportContextInput = Pick<ReportContext, 'target'> & Partial<Omit<ReportContext, 'target'>>;

export function isReportFormat(format: string): format is ReportFormat {
  return Object.hasOwn(formatters, format);
}

export function formatReport(format: string, report: AuditReport, input: ReportContextInput): string {
  return formatters[knownFormat(format)](report, reportContext(input));
}

/**
 * formatReport's text in chunks, for writing: the JSON report streams (a
 * 10,000-host fleet makes 32.7 MB); the other formats are one chunk. An
 * unknown format throws here, before anything is written.
 */
export function reportChunks(format: string, report: AuditReport, input: ReportContextInput): Iterable<string> {
  const known = knownFormat(format);
  const ctx = reportContext(input);
  return known === 'json' ? jsonReportChunks(report, ctx) : [formatters[known](report, ctx)];
}

/** The formats that list results for a person and so honour --status; the others are complete records for machines. */
export const STATUS_FILTERED_FORMATS: readonly ReportFormat[] = ['table', 'markdown'];

function knownFormat(format: string): ReportFormat {
  if (isReportFormat(format)) return format;
  throw new UsageError(`unknown report format "${format}"; valid formats: ${reportFormats.join(', ')}`, 'UnknownFormat');
}

function reportContext(input: ReportContextInput): ReportContext {
  return {
    tool: input.tool ?? swarmAuditTool(),
    target: input.target,
    failOn: input.failOn ?? 'fail',
    color: input.color ?? false,
    ...(input.statuses !== undefined ? { statuses: input.statuses } : {}),
    ...(input.width !== undefined ? { width: input.width } : {}),
  };
}
