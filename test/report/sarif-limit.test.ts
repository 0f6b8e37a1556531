import { describe, expect, it } from '@jest/globals';
import type { Log } from 'sarif';
import { CODE_SCANNING_MAX_RESULTS, mostSevere } from '../../src/report/sarif-limit.js';
import { formatSarif } from '../../src/report/sarif.js';
import { TEST_CONTEXT, goldenReport, largeFleetReport } from './sample-reports.js';

describe('code scanning result limit', () => {
  it('keeps FAIL before WARN, then the most severe, in report order', () => {
    const findings = goldenReport().results.filter((f) => f.status === 'FAIL' || f.status === 'WARN');
    const { kept, leftOut } = mostSevere(findings, 10);
    expect(leftOut).toBe(findings.length - 10);
    expect(kept).toHaveLength(10);
    expect(kept.every((f) => f.status === 'FAIL' && f.severity === 'high')).toBe(true);
    expect(kept).toEqual(findings.filter((f) => kept.includes(f)));
    expect(mostSevere(findings, findings.length)).toEqual({ kept: findings, leftOut: 0 });
  });

  it('a fleet past 25,000 FAIL and WARN results gets a SARIF run code scanning accepts, and a notification of what was left out', () => {
    const report = largeFleetReport(13_000);
    const listed = report.summary.FAIL + report.summary.WARN;
    expect(listed).toBeGreaterThan(CODE_SCANNING_MAX_RESULTS);
    const run = (JSON.parse(formatSarif(report, TEST_CONTEXT)) as Log).runs[0];
    expect(run.results).toHaveLength(CODE_SCANNING_MAX_RESULTS);
    const notes = run.invocations![0].toolExecutionNotifications!.filter((n) => n.descriptor?.id === 'results-left-out');
    expect(notes).toHaveLength(1);
    expect(notes[0].message.text).toBe(
      `${listed - CODE_SCANNING_MAX_RESULTS} of ${listed} FAIL and WARN results left out, the least severe: code scanning rejects a run ` +
        `with more than ${CODE_SCANNING_MAX_RESULTS} results. The JSON report lists every result.`,
    );
    // more FAILs than the limit: the WARNs are what is left out first
    expect(report.summary.FAIL).toBeGreaterThan(CODE_SCANNING_MAX_RESULTS);
    expect(run.results!.every((r) => r.properties!.status === 'FAIL')).toBe(true);
  });
});
