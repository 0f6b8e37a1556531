import { describe, expect, it } from '@jest/globals';
import { formatJunit } from '../../src/report/junit.js';
import { fleetReport, hostileReport } from './sample-reports.js';
import { xmlProblems } from './xml-wellformed.js';

const count = (xml: string, pattern: RegExp) => (xml.match(pattern) ?? []).length;

describe('junit report', () => {
  it('maps FAIL to failure, ERROR to error, WARN and NOT_APPLICABLE to skipped', () => {
    const report = fleetReport();
    const xml = formatJunit(report);
    expect(xmlProblems(xml)).toEqual([]);
    expect(count(xml, /<testcase /g)).toBe(report.results.length);
    expect(count(xml, /<failure /g)).toBe(report.summary.FAIL);
    expect(count(xml, /<error /g)).toBe(report.summary.ERROR);
    expect(count(xml, /<skipped /g)).toBe(report.summary.WARN + report.summary.NOT_APPLICABLE);
    expect(xml).toContain(
      `<testsuites name="swarm-audit" tests="${report.results.length}" failures="${report.summary.FAIL}" errors="${report.summary.ERROR}"`,
    );
    expect(count(xml, /<testsuite /g)).toBe(3);
  });

  it('escapes hostile names and messages into well-formed XML', () => {
    const xml = formatJunit(hostileReport());
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('</testcase><script>');
    expect(xml).toContain('x&lt;/testcase&gt;&lt;script&gt;&amp;amp;');
    expect(xml).toContain('&#10;new line');
    expect(xml).toContain('\\x1b[31mred');
  });
});
