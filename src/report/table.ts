import type { Finding, Status } from '../checks/types.js';
import type { AuditReport } from '../engine/report-model.js';
import { STATUSES } from '../engine/summary.js';
import type { ReportContext } from './context.js';
import { COLUMN_GAP, columnWidths, fitCell, fitLine, type ColumnSpec } from './fit-columns.js';
import { failedScopes, instanceLabel, resourceLabel, scopeLabel, spansScopes } from './labels.js';
import { terminalSafe } from './text-safety.js';

const COLOURS: Record<Status, string> = {
  PASS: '\u001b[32m',
  FAIL: '\u001b[31m',
  WARN: '\u001b[33m',
  ERROR: '\u001b[35m',
  NOT_APPLICABLE: '\u001b[2m',
};
const RESET = '\u001b[0m';

/** What needs action first: the table lists results in this order, the report's own order within a status. */
export const TABLE_STATUS_ORDER: readonly Status[] = ['FAIL', 'ERROR', 'WARN', 'NOT_APPLICABLE', 'PASS'];

/**
 * The minimums add up, with the gaps, to 80 columns: a classic terminal
 * still shows 24 columns of message. The status is never cut. Before any
 * column goes below its `keep`, the others are cut to theirs: a whole
 * instance id and the ellipsis after it (20), a recognisable check id, a
 * cluster id as long as Docker's short ids (12).
 */
const COLUMNS: readonly ColumnSpec[] = [
  { header: 'STATUS' },
  { header: 'CHECK', min: 8, keep: 18 },
  { header: 'CLUSTER', min: 8, keep: 12 },
  { header: 'INSTANCE', min: 8, keep: 20 },
  { header: 'RESOURCE', min: 8, keep: 18 },
  { header: 'MESSAGE', min: 24 },
];
export const MIN_TABLE_WIDTH = COLUMNS.reduce((sum, c) => sum + (c.min ?? 'NOT_APPLICABLE'.length), 0) + COLUMN_GAP * (COLUMNS.length - 1);

/**
 * A compact table for people: one line per result, failures first, then a
 * summary line and the instances not fully audited. With ctx.width (a
 * terminal) every line fits it: cells are cut with "…" and never wrap, the
 * message taking what the other columns leave. ANSI colours for statuses
 * only with ctx.color.
 */
export function formatTable(report: AuditReport, ctx: Pick<ReportContext, 'color' | 'statuses' | 'width'>): string {
  const listed = ctx.statuses === undefined ? report.results : report.results.filter((r) => ctx.statuses!.includes(r.status));
  const ordered = failuresFirst(listed);
  const names = namesOf(report);
  const withScope = spansScopes(report);
  const rows = ordered.map((r) => cellsOf(r, names, withScope).map(terminalSafe));
  const width = ctx.width === undefined ? undefined : Math.max(ctx.width, MIN_TABLE_WIDTH);
  const widths = columnWidths(COLUMNS, rows, width);
  const line = (cells: string[], status?: Status) =>
    cells
      .map((cell, column) => {
        const fitted = fitCell(cell, widths[column]);
        return column === 0 && status && ctx.color ? `${COLOURS[status]}${fitted}${RESET}` : fitted;
      })
      .join(' '.repeat(COLUMN_GAP))
      .trimEnd();
  const notAudited = report.instances
    .filter((i) => i.error)
    .map((i) => fitLine(`  ${terminalSafe(instanceLabel(i.instanceId, i.name))}: ${terminalSafe(i.error!)}`, width));
  const notListed = listed.length < report.results.length
    ? [`(${report.results.length - listed.length} results not listed: --status ${ctx.statuses!.join(',')})`]
    : [];
  return [
    line(COLUMNS.map((c) => c.header)),
    ...ordered.map((r, index) => line(rows[index], r.status)),
    '',
    ...summaryLines(report, width),
    ...notListed,
    ...(notAudited.length ? ['Instances not fully audited:', ...notAudited] : []),
    ...scopeFailureLines(report, width),
    '',
  ].join('\n');
}

function failuresFirst(results: readonly Finding[]): Finding[] {
  const rank = (status: Status) => TABLE_STATUS_ORDER.indexOf(status);
  return [...results].sort((a, b) => rank(a.status) - rank(b.status));
}

function namesOf(report: AuditReport): Map<string, string> {
  return new Map(report.instances.filter((i) => i.name).map((i) => [i.instanceId, i.name!]));
}

/** A scope (account, region) that could not be audited is a gap in the table: named with its cause. */
function scopeFailureLines(report: AuditReport, width?: number): string[] {
  const failed = failedScopes(report);
  if (failed.length === 0) return [];
  return ['Scopes not audited:', ...failed.map((s) => fitLine(`  ${terminalSafe(scopeLabel(s) ?? s.region)}: ${terminalSafe(s.cause ?? 'unknown cause')}`, width))];
}

/** In a report of several scopes the cluster cell names the scope too: the same cluster id may live in two regions. */
function cellsOf(result: Finding, names: Map<string, string>, withScope: boolean): string[] {
  const scope = withScope ? scopeLabel(result) : undefined;
  return [
    result.status,
    result.checkId,
    scope ? `${scope} ${result.clusterId ?? '-'}` : (result.clusterId ?? '-'),
    instanceLabel(result.instanceId, names.get(result.instanceId)),
    resourceLabel(result),
    result.message,
  ];
}

/** The summary, whole: on a narrow terminal the instance and cluster counts go on a line of their own rather than be cut. */
function summaryLines(report: AuditReport, width?: number): string[] {
  const line = summaryLine(report);
  if (width === undefined || line.length <= width) return [line];
  const at = line.lastIndexOf(' (');
  return [line.slice(0, at), line.slice(at + 1)];
}

function summaryLine(report: AuditReport): string {
  const counts = STATUSES.map((status) => `${report.summary[status]} ${status}`).join(', ');
  const { instances, clusters } = report.summary;
  return `${report.results.length} results: ${counts} (${instances} instance${instances === 1 ? '' : 's'}, ${clusters} cluster${clusters === 1 ? '' : 's'})`;
}
