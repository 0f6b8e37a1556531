import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../src/errors.js';
import { formatReport, reportFormats } from '../../src/report/index.js';
import { fleetReport } from './sample-reports.js';

describe('formatReport', () => {
  const report = fleetReport();

  it.each(reportFormats)('%s produces non-empty text ending with a newline', (format) => {
    const text = formatReport(format, report, { color: false, accountId: '123456789012', region: 'eu-west-1' });
    expect(text.length).toBeGreaterThan(100);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('lists every format once, table first', () => {
    expect(reportFormats[0]).toBe('table');
    expect(new Set(reportFormats).size).toBe(reportFormats.length);
    expect([...reportFormats].sort()).toEqual(['asff', 'json', 'junit', 'markdown', 'sarif', 'table']);
  });

  it('rejects an unknown format as a usage error', () => {
    expect(() => formatReport('csv', report)).toThrow(UsageError);
  });
});
