import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../src/errors.js';
import { formatReport, formatters, reportFormats } from '../../src/report/index.js';
import { TEST_CONTEXT, fleetReport } from './sample-reports.js';

describe('formatReport', () => {
  const report = fleetReport();

  it.each(reportFormats)('%s produces non-empty text ending with a newline', (format) => {
    const text = formatReport(format, report, TEST_CONTEXT);
    expect(text.length).toBeGreaterThan(100);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('has one formatter per format, each (report, ctx) => string, table first', () => {
    expect(reportFormats[0]).toBe('table');
    expect([...reportFormats].sort()).toEqual(['asff', 'json', 'junit', 'markdown', 'sarif', 'table']);
    for (const format of reportFormats) {
      expect(formatters[format].length).toBe(2);
      expect(formatReport(format, report, TEST_CONTEXT)).toBe(formatters[format](report, TEST_CONTEXT));
    }
  });

  it('passes the fail-on setting and the colour choice through the context', () => {
    const warn = formatReport('junit', report, { ...TEST_CONTEXT, failOn: 'warn' });
    expect(warn).toContain('type="WARN"');
    expect(formatReport('junit', report, { target: TEST_CONTEXT.target })).not.toContain('type="WARN"');
    expect(formatReport('table', report, { target: TEST_CONTEXT.target, color: true })).toContain('\u001b[');
    expect(formatReport('table', report, { target: TEST_CONTEXT.target })).not.toContain('\u001b[');
  });

  it('rejects an unknown format as a usage error', () => {
    expect(() => formatReport('csv', report, TEST_CONTEXT)).toThrow(UsageError);
    expect(() => formatReport('toString', report, TEST_CONTEXT)).toThrow(UsageError);
  });
});
