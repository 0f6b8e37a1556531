import { describe, expect, it } from '@jest/globals';
import { formatMarkdown } from '../../src/report/markdown.js';
import { fleetReport, hostileReport } from './sample-reports.js';

/** Pipes that split cells: not preceded by a backslash. */
const cellSeparators = (line: string) => (line.match(/(?<!\\)\|/g) ?? []).length;

describe('markdown report', () => {
  it('has a summary table and one row per result', () => {
    const report = fleetReport();
    const text = formatMarkdown(report);
    expect(text.startsWith('# swarm-audit report\n')).toBe(true);
    expect(text).toContain(`| ${report.summary.PASS} | ${report.summary.FAIL} | ${report.summary.WARN} |`);
    const rows = text.split('\n').filter((line) => /^\| (PASS|FAIL|WARN|ERROR|NOT_APPLICABLE) \| (critical|high|medium|low|info) \|/.test(line));
    expect(rows).toHaveLength(report.results.length);
    expect(text).toContain('## Instances not fully audited');
  });

  it('keeps hostile text inside its cell: pipes, newlines and HTML escaped', () => {
    const text = formatMarkdown(hostileReport());
    const rows = text.split('\n').filter((line) => /^\| (PASS|FAIL|WARN|ERROR|NOT_APPLICABLE) \| (critical|high|medium|low|info) \|/.test(line));
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(cellSeparators(row)).toBe(7);
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;');
    expect(text).toContain('\\| pipe<br>new line');
    expect(text).toContain('\\*b\\* \\[l\\](u)');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\r');
  });
});
