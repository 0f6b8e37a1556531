import { describe, expect, it } from '@jest/globals';
import type { AuditReport } from '../../src/engine/report-model.js';
import { MARKDOWN_MAX_CHARS, formatMarkdown } from '../../src/report/markdown.js';
import { golden } from './golden.js';
import { TEST_CONTEXT, goldenReport, hostileReport, largeFleetReport } from './sample-reports.js';

/** Pipes that split cells: not preceded by a backslash. */
const cellSeparators = (line: string) => (line.match(/(?<!\\)\|/g) ?? []).length;
const resultRows = (text: string) => text.split('\n').filter((line) => /^\| (critical|high|medium|low|info) \|/.test(line));

describe('markdown report', () => {
  const report = goldenReport();
  const text = formatMarkdown(report, TEST_CONTEXT);

  it('matches the golden file', () => {
    expect(text).toBe(golden('golden.md', text));
  });

  it('starts with what was audited and the counts', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('# swarm-audit report');
    expect(lines[2]).toBe(
      '8 instances in 2 clusters (tag Swarm=prod,staging and tag key Team; eu-west-1, account 123456789012), 2026-11-23T10:00:00.000Z, 60.0 s.',
    );
    const { PASS, FAIL, WARN, ERROR, NOT_APPLICABLE } = report.summary;
    expect(text).toContain(`| ${PASS} | ${FAIL} | ${WARN} | ${ERROR} | ${NOT_APPLICABLE} |`);
  });

  it('lists FAIL, then ERROR, then WARN, grouped by check and cluster; PASS and NOT_APPLICABLE are only counted', () => {
    const headings = text.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      `## FAIL (${report.summary.FAIL})`,
      `## ERROR (${report.summary.ERROR})`,
      `## WARN (${report.summary.WARN})`,
      `## Instances not fully audited (${report.instances.filter((i) => i.error).length})`,
    ]);
    expect(resultRows(text)).toHaveLength(report.summary.FAIL + report.summary.ERROR + report.summary.WARN);
    const failSection = text.slice(text.indexOf('## FAIL'), text.indexOf('## ERROR'));
    expect(failSection).toContain('### swarm-listen-address (8): ');
    expect(failSection).toContain('### overlay-encryption (4): ');
    const clusters = new Set(report.results.filter((r) => r.status === 'FAIL').map((r) => r.clusterId));
    for (const cluster of clusters) expect(failSection).toContain(`**cluster ${cluster}** (`);
    for (const pass of report.results.filter((r) => r.status === 'PASS')) expect(text).not.toContain(pass.message);
  });

  it('says so when nothing needs attention', () => {
    const clean: AuditReport = {
      ...report,
      summary: { ...report.summary, FAIL: 0, ERROR: 0, WARN: 0 },
      results: report.results.filter((r) => r.status === 'PASS'),
      instances: report.instances.filter((i) => !i.error),
    };
    const cleanText = formatMarkdown(clean, TEST_CONTEXT);
    expect(cleanText).toContain('Nothing failed, warned or errored.');
    expect(resultRows(cleanText)).toEqual([]);
  });

  it('stays under 65,536 characters for 5,000 instances and says how many rows it left out', () => {
    const large = largeFleetReport(5000);
    const listed = large.summary.FAIL + large.summary.ERROR + large.summary.WARN;
    expect(listed).toBeGreaterThan(5000);
    const big = formatMarkdown(large, TEST_CONTEXT);
    expect(big.length).toBeLessThan(MARKDOWN_MAX_CHARS);
    expect(big.length).toBeGreaterThan(MARKDOWN_MAX_CHARS - 2000);
    const shown = resultRows(big).length;
    const note = /_(\d+) of (\d+) rows left out to stay under 65536 characters; the JSON report lists every result\._\n$/.exec(big);
    expect(note).not.toBeNull();
    expect(Number(note![2])).toBe(listed);
    expect(Number(note![1])).toBe(listed - shown);
    expect(big.startsWith(formatMarkdown(large, TEST_CONTEXT).slice(0, 200))).toBe(true);
    expect(big).toContain(`## FAIL (${large.summary.FAIL})`);
  });

  it('keeps hostile text inside its cell: pipes, newlines and HTML escaped', () => {
    const hostile = formatMarkdown(hostileReport(), TEST_CONTEXT);
    const rows = resultRows(hostile);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(cellSeparators(row)).toBe(5);
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('&lt;script&gt;');
    expect(hostile).toContain('\\| pipe<br>new line');
    expect(hostile).toContain('\\*b\\* \\[l\\](u)');
    expect(hostile).not.toContain('\u001b');
    expect(hostile).not.toContain('\r');
  });
});

describe('markdown --status', () => {
  it('lists only the chosen statuses; the counts stay whole', () => {
    const report = goldenReport();
    expect(report.summary.FAIL).toBeGreaterThan(0);
    expect(report.summary.WARN + report.summary.ERROR).toBeGreaterThan(0);
    const all = formatMarkdown(report, TEST_CONTEXT);
    const failOnly = formatMarkdown(report, { ...TEST_CONTEXT, statuses: ['FAIL'] });
    expect(failOnly).toMatch(/^## FAIL \(/m);
    expect(failOnly).not.toMatch(/^## (ERROR|WARN) \(/m);
    expect(all).toMatch(/^## (ERROR|WARN) \(/m);
    const head = (text: string) => text.split('\n## ')[0];
    expect(head(failOnly)).toBe(head(all));
  });
});
