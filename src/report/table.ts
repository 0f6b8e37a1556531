import type { Status } from '../checks/types.js';
import type { AuditReport } from '../engine/report-model.js';
import { STATUSES } from '../engine/summary.js';
import type { ReportContext } from './context.js';
import { resourceLabel, whereOf } from './labels.js';
import { terminalSafe } from './text-safety.js';

const COLOURS: Record<Status, string> = {
  PASS: '\u001b[32m',
  FAIL: '\u001b[31m',
  WARN: '\u001b[33m',
  ERROR: '\u001b[35m',
  NOT_APPLICABLE: '\u001b[2m',
};
const RESET = '\u001b[0m';
const HEADERS = ['STATUS', 'CHECK', 'INSTANCE / CLUSTER', 'RESOURCE', 'MESSAGE'] as const;

/**
 * A compact table for people: one line per result, aligned columns, message
 * last, then a summary line. ANSI colours for statuses only with ctx.color
 * (a terminal).
 */
export function formatTable(report: AuditReport, ctx: Pick<ReportContext, 'color' | 'statuses'>): string {
  const listed = ctx.statuses === undefined ? report.results : report.results.filter((r) => ctx.statuses!.includes(r.status));
  const rows = listed.map((r) => [r.status, r.checkId, whereOf(r), resourceLabel(r), r.message].map(terminalSafe));
  const widths = HEADERS.slice(0, 4).map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[], status?: Status) =>
    cells
      .map((cell, column) => {
        const padded = column < 4 ? cell.padEnd(widths[column]!) : cell;
        return column === 0 && status && ctx.color ? `${COLOURS[status]}${padded}${RESET}` : padded;
      })
      .join('  ')
      .trimEnd();
  const body = listed.map((r, index) => line(rows[index]!, r.status));
  const failures = report.instances
    .filter((i) => i.error)
    .map((i) => `  ${terminalSafe(i.instanceId)}: ${terminalSafe(i.error!)}`);
  return [
    line([...HEADERS]),
    ...body,
    '',
    summaryLine(report),
    ...(listed.length < report.results.length ? [`(${report.results.length - listed.length} results not listed: --status ${ctx.statuses!.join(',')})`] : []),
    ...(failures.length ? ['Instances not fully audited:', ...failures] : []),
    '',
  ].join('\n');
}

export function summaryLine(report: AuditReport): string {
  const counts = STATUSES.map((status) => `${report.summary[status]} ${status}`).join(', ');
  const { instances, clusters } = report.summary;
  return `${report.results.length} results: ${counts} (${instances} instance${instances === 1 ? '' : 's'}, ${clusters} cluster${clusters === 1 ? '' : 's'})`;
}
