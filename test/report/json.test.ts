import { describe, expect, it } from '@jest/globals';
import { formatJson } from '../../src/report/json.js';
import { fleetReport, hostileReport } from './sample-reports.js';

describe('json report', () => {
  it('round-trips the report', () => {
    const report = fleetReport();
    expect(JSON.parse(formatJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('uses the contract key order and sorts evidence keys', () => {
    const text = formatJson(hostileReport());
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['schemaVersion', 'startedAt', 'finishedAt', 'summary', 'checks', 'instances', 'results']);
    expect(Object.keys(parsed.summary)).toEqual(['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE', 'instances', 'clusters']);
    expect(Object.keys(parsed.results[0])).toEqual([
      'checkId',
      'status',
      'severity',
      'instanceId',
      'clusterId',
      'resource',
      'message',
      'evidence',
    ]);
    expect(Object.keys(parsed.results[0].evidence)).toEqual(['a', 'z']);
    expect(Object.keys(parsed.results[0].evidence.a)).toEqual(['b', 'y']);
  });

  it('is pretty, ends with a newline and is identical for identical input', () => {
    const text = formatJson(fleetReport());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "summary": {');
    expect(formatJson(fleetReport())).toBe(text);
  });
});
