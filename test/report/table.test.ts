import { describe, expect, it } from '@jest/globals';
import stringWidth from 'string-width';
import type { AuditReport } from '../../src/engine/report-model.js';
import { formatTable, MIN_TABLE_WIDTH, TABLE_STATUS_ORDER } from '../../src/report/table.js';
import { fleetReport, hostileReport } from './sample-reports.js';

const NO_COLOR = { color: false };
const ROW = /^(PASS|FAIL|WARN|ERROR|NOT_APPLICABLE)\s/;
const rowsOf = (text: string) => text.split('\n').slice(1).filter((l) => ROW.test(l));
const statusOf = (row: string) => row.split(' ')[0];

/** fleetReport with Name tags, one of them East Asian wide and one with a combining mark. */
function namedReport(): AuditReport {
  const report = fleetReport();
  const names: Record<string, string> = { 'i-m1': 'prod-manager-1', 'i-m2': '本番マネージャー2', 'i-w1': 'worker-e\u0301te\u0301', 'i-off': 'spare' };
  for (const instance of report.instances) instance.name = names[instance.instanceId];
  const fail = report.results.find((r) => r.status === 'FAIL')!;
  fail.message = `${'暗号化されていないオーバーレイネットワーク '.repeat(3)}${fail.message}`;
  return report;
}

describe('table report', () => {
  it('prints a header, one line per result and a summary line', () => {
    const report = fleetReport();
    const lines = formatTable(report, NO_COLOR).split('\n');
    expect(lines[0]).toMatch(/^STATUS\s+CHECK\s+CLUSTER\s+INSTANCE\s+RESOURCE\s+MESSAGE$/);
    expect(rowsOf(lines.join('\n')).map(statusOf).sort()).toEqual(report.results.map((r) => r.status).sort());
    expect(lines).toContain(
      `${report.results.length} results: ${report.summary.PASS} PASS, ${report.summary.FAIL} FAIL, ${report.summary.WARN} WARN, ` +
        `${report.summary.ERROR} ERROR, ${report.summary.NOT_APPLICABLE} NOT_APPLICABLE (4 instances, 1 cluster)`,
    );
    expect(lines.some((line) => line.includes('i-off: not audited: SSM agent ConnectionLost'))).toBe(true);
  });

  it('lists failures first: FAIL, ERROR, WARN, NOT_APPLICABLE, PASS, in report order within a status', () => {
    const report = fleetReport();
    expect(new Set(report.results.map((r) => r.status)).size).toBeGreaterThanOrEqual(4);
    const rows = rowsOf(formatTable(report, NO_COLOR));
    const expected = TABLE_STATUS_ORDER.flatMap((status) => report.results.filter((r) => r.status === status));
    expect(rows.map(statusOf)).toEqual(expected.map((r) => r.status));
    // within a status, the report's deterministic order: compare the messages row by row
    rows.forEach((row, i) => expect(row.endsWith(expected[i].message)).toBe(true));
    expect(TABLE_STATUS_ORDER).toEqual(['FAIL', 'ERROR', 'WARN', 'NOT_APPLICABLE', 'PASS']);
  });

  it('shows the Name tag beside the instance id, in the rows and the instances not audited', () => {
    const text = formatTable(namedReport(), NO_COLOR);
    expect(rowsOf(text).some((row) => row.includes('i-m1 prod-manager-1'))).toBe(true);
    expect(text).toContain('  i-off spare: not audited: SSM agent ConnectionLost');
  });

  it('aligns the columns', () => {
    const lines = formatTable(fleetReport(), NO_COLOR).split('\n');
    const checkColumn = lines[0].indexOf('CHECK');
    for (const line of lines.slice(1, 5)) expect(line[checkColumn - 1]).toBe(' ');
  });

  it('colours statuses only when asked, without moving a column', () => {
    const report = fleetReport();
    expect(formatTable(report, NO_COLOR)).not.toContain('\u001b');
    const coloured = formatTable(report, { color: true, width: 100 });
    expect(coloured).toContain('\u001b[31mFAIL');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(formatTable(report, { color: false, width: 100 }));
  });

  it('neutralises terminal escapes and line breaks in hostile text', () => {
    const report = hostileReport();
    const text = formatTable(report, NO_COLOR);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0000');
    expect(text).not.toContain('\r');
    expect(text).toContain('\\x1b[31mred');
    const lines = text.split('\n');
    expect(lines.slice(1, 1 + report.results.length).every((line) => ROW.test(line))).toBe(true);
  });
});

describe('table on a terminal (ctx.width)', () => {
  it.each([80, 100, 120, 160])('fits %i columns: no line wider, cut cells end with an ellipsis, the message keeps 24 columns', (width) => {
    const report = namedReport();
    const text = formatTable(report, { color: false, width });
    const lines = text.split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
    expect(text).toContain('…');
    const messageAt = lines[0].indexOf('MESSAGE');
    expect(width - messageAt).toBeGreaterThanOrEqual(24);
    expect(rowsOf(text)).toHaveLength(report.results.length);
  });

  it('cuts the other columns before an instance id: at 110 columns every instance id is whole', () => {
    const report = namedReport();
    const awsId = (id: string) => `i-0${Buffer.from(id).toString('hex').padEnd(16, 'f')}`; // 19 characters, as EC2's
    for (const instance of report.instances) instance.instanceId = awsId(instance.instanceId);
    for (const result of report.results) result.instanceId = awsId(result.instanceId);
    const rows = rowsOf(formatTable(report, { color: false, width: 110 }));
    for (const row of rows) expect(row).toMatch(/ i-[0-9a-f]{17}[ …]/);
    expect(rows).toHaveLength(report.results.length);
  });

  it('measures East Asian wide characters as 2 columns and combining marks as 0, so the columns stay aligned', () => {
    const text = formatTable(namedReport(), { color: false, width: 140 });
    const lines = text.split('\n');
    const header = lines[0];
    const starts = ['CLUSTER', 'INSTANCE', 'RESOURCE', 'MESSAGE'].map((h) => header.indexOf(h));
    const rows = rowsOf(text);
    expect(rows.some((row) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(row))).toBe(true);
    expect(rows.some((row) => row.includes('\u0301'))).toBe(true);
    for (const row of rows) {
      // every column starts where its header does, counted in terminal columns: the cell before it ends with its gap
      for (const start of starts) expect(columnBefore(row, start)).toBe(' ');
      expect(stringWidth(row)).toBeLessThanOrEqual(140);
    }
  });

  it('cuts nothing when the terminal is wide enough, and nothing without a width (a file, a pipe)', () => {
    const report = namedReport();
    const unlimited = formatTable(report, NO_COLOR);
    expect(unlimited).not.toContain('…');
    const widest = Math.max(...unlimited.split('\n').map((l) => stringWidth(l)));
    expect(widest).toBeGreaterThan(160);
    expect(formatTable(report, { color: false, width: widest })).toBe(unlimited);
  });

  it('lays a terminal narrower than the minimum out at the minimum, cells still cut and aligned', () => {
    expect(MIN_TABLE_WIDTH).toBe(80);
    const narrow = formatTable(namedReport(), { color: false, width: 40 });
    expect(narrow).toBe(formatTable(namedReport(), { color: false, width: MIN_TABLE_WIDTH }));
  });

  it('keeps the summary whole: the instance and cluster counts move to their own line', () => {
    const report = fleetReport();
    const lines = formatTable(report, { color: false, width: 80 }).split('\n');
    const at = lines.findIndex((l) => / results: /.test(l));
    expect(lines[at]).toMatch(/NOT_APPLICABLE$/);
    expect(lines[at + 1]).toBe('(4 instances, 1 cluster)');
  });
});

describe('table --status', () => {
  it('lists only the chosen statuses, keeps every count in the summary, and says how many it left out', () => {
    const report = fleetReport();
    const all = formatTable(report, { color: false });
    const failOnly = formatTable(report, { color: false, statuses: ['FAIL'] });
    const fails = report.results.filter((r) => r.status === 'FAIL').length;
    expect(fails).toBeGreaterThan(0);
    expect(rowsOf(failOnly)).toHaveLength(fails);
    expect(rowsOf(failOnly).every((l) => l.startsWith('FAIL'))).toBe(true);
    expect(rowsOf(all)).toHaveLength(report.results.length);
    const summary = (text: string) => text.split('\n').find((l) => / results: /.test(l));
    expect(summary(failOnly)).toBe(summary(all));
    expect(failOnly).toContain(`(${report.results.length - fails} results not listed: --status FAIL)`);
    expect(all).not.toContain('not listed');
  });
});

/** The character that ends at terminal column `column` (0-based: the one just before it). */
function columnBefore(line: string, column: number): string | undefined {
  let used = 0;
  for (const char of line) {
    used += stringWidth(char);
    if (used === column) return char;
    if (used > column) return undefined;
  }
  return undefined;
}
