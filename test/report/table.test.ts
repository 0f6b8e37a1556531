import { describe, expect, it } from '@jest/globals';
import { formatTable } from '../../src/report/table.js';
import { fleetReport, hostileReport } from './sample-reports.js';

const NO_COLOR = { color: false };

describe('table report', () => {
  it('prints a header, one line per result and a summary line', () => {
    const report = fleetReport();
    const lines = formatTable(report, NO_COLOR).split('\n');
    expect(lines[0]).toMatch(/^STATUS\s+CHECK\s+INSTANCE \/ CLUSTER\s+RESOURCE\s+MESSAGE$/);
    const body = lines.slice(1, 1 + report.results.length);
    body.forEach((line, index) => expect(line.startsWith(report.results[index]!.status)).toBe(true));
    expect(lines).toContain(
      `${report.results.length} results: ${report.summary.PASS} PASS, ${report.summary.FAIL} FAIL, ${report.summary.WARN} WARN, ` +
        `${report.summary.ERROR} ERROR, ${report.summary.NOT_APPLICABLE} NOT_APPLICABLE (4 instances, 1 cluster)`,
    );
    expect(lines.some((line) => line.includes('i-off: not audited: SSM agent ConnectionLost'))).toBe(true);
  });

  it('aligns the columns', () => {
    const lines = formatTable(fleetReport(), NO_COLOR).split('\n');
    const checkColumn = lines[0]!.indexOf('CHECK');
    for (const line of lines.slice(1, 5)) expect(line[checkColumn - 1]).toBe(' ');
  });

  it('colours statuses only when asked', () => {
    const report = fleetReport();
    expect(formatTable(report, NO_COLOR)).not.toContain('\u001b');
    expect(formatTable(report, { color: true })).toContain('\u001b[31mFAIL');
  });

  it('neutralises terminal escapes and line breaks in hostile text', () => {
    const report = hostileReport();
    const text = formatTable(report, NO_COLOR);
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0000');
    expect(text).not.toContain('\r');
    expect(text).toContain('\\x1b[31mred');
    const lines = text.split('\n');
    expect(lines.slice(1, 6).every((line, i) => line.startsWith(report.results[i]!.status))).toBe(true);
  });
});

describe('table --status', () => {
  it('lists only the chosen statuses, keeps every count in the summary, and says how many it left out', () => {
    const report = fleetReport();
    const all = formatTable(report, { color: false });
    const failOnly = formatTable(report, { color: false, statuses: ['FAIL'] });
    const rowsOf = (text: string) => text.split('\n').slice(1).filter((l) => /^(PASS|FAIL|WARN|ERROR|NOT_APPLICABLE)\s/.test(l));
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
