import { describe, expect, it } from '@jest/globals';
import type { AuditReport } from '../../src/engine/report-model.js';
import { formatJunit } from '../../src/report/junit.js';
import { JUNIT_XSD, xsdProblems } from './consumer-rules.js';
import { golden } from './golden.js';
import { TEST_CONTEXT, goldenReport, hostileReport } from './sample-reports.js';

const count = (xml: string, pattern: RegExp) => (xml.match(pattern) ?? []).length;
const attribute = (tag: string, name: string) => Number(new RegExp(` ${name}="(\\d+)"`).exec(tag)?.[1]);
const failOnWarn = { ...TEST_CONTEXT, failOn: 'warn' as const };

/** Every <testsuite>'s counts against the testcases inside it, and <testsuites>' against all of them. */
function countProblems(xml: string): string[] {
  const problems: string[] = [];
  const suites = [...xml.matchAll(/<testsuite [^>]*>[\s\S]*?<\/testsuite>/g)].map((m) => m[0]);
  const check = (label: string, tag: string, body: string) => {
    const expected = {
      tests: count(body, /<testcase /g),
      failures: count(body, /<failure /g),
      errors: count(body, /<error /g),
      ...(label === 'testsuites' ? {} : { skipped: count(body, /<skipped /g) }),
    };
    for (const [name, value] of Object.entries(expected)) {
      if (attribute(tag, name) !== value) problems.push(`${label} ${name}=${attribute(tag, name)}, testcases say ${value}`);
    }
  };
  for (const suite of suites) check(`testsuite ${/name="([^"]*)"/.exec(suite)![1]}`, suite.slice(0, suite.indexOf('>')), suite);
  check('testsuites', /<testsuites [^>]*>/.exec(xml)![0], xml);
  return problems;
}

describe('junit report', () => {
  const report = goldenReport();
  const xml = formatJunit(report, TEST_CONTEXT);

  it('matches the golden files (default and --fail-on warn)', () => {
    expect(xml).toBe(golden('golden.junit.xml', xml));
    const warn = formatJunit(report, failOnWarn);
    expect(warn).toBe(golden('golden-fail-on-warn.junit.xml', warn));
  });

  it("is valid against Jenkins xunit's junit-10.xsd, hostile text included", () => {
    expect(xsdProblems(xml, JUNIT_XSD)).toEqual([]);
    expect(xsdProblems(formatJunit(report, failOnWarn), JUNIT_XSD)).toEqual([]);
    expect(xsdProblems(formatJunit(hostileReport(), TEST_CONTEXT), JUNIT_XSD)).toEqual([]);
  });

  it('the XSD check can fail: an attribute junit-10.xsd does not know is rejected', () => {
    expect(xsdProblems(xml.replace('<testsuites ', '<testsuites skipped="1" '), JUNIT_XSD).join('\n')).toContain("attribute 'skipped'");
  });

  it('has one testcase per (check, resource) with a time, grouped in one testsuite per check', () => {
    expect(count(xml, /<testcase /g)).toBe(report.results.length);
    expect(count(xml, /<testcase [^>]* time="\d+\.\d{3}"/g)).toBe(report.results.length);
    expect(count(xml, /<testsuite /g)).toBe(report.checks!.length);
    const names = [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(new Set(names).size).toBe(names.length);
    expect(xml).toContain('<testsuites name="swarm-audit" tests="42" failures="14" errors="6" time="60.000">');
  });

  it('maps FAIL to failure, ERROR to error, WARN and NOT_APPLICABLE to skipped', () => {
    expect(count(xml, /<failure /g)).toBe(report.summary.FAIL);
    expect(count(xml, /<error /g)).toBe(report.summary.ERROR);
    expect(count(xml, /<skipped /g)).toBe(report.summary.WARN + report.summary.NOT_APPLICABLE);
    expect(countProblems(xml)).toEqual([]);
  });

  it('makes WARN a failure under --fail-on warn, with consistent counts', () => {
    expect(report.summary.WARN).toBeGreaterThan(0);
    const warn = formatJunit(report, failOnWarn);
    expect(count(warn, /<failure [^>]*type="WARN"/g)).toBe(report.summary.WARN);
    expect(count(warn, /<failure /g)).toBe(report.summary.FAIL + report.summary.WARN);
    expect(count(warn, /<skipped /g)).toBe(report.summary.NOT_APPLICABLE);
    expect(countProblems(warn)).toEqual([]);
  });

  it('the count check can fail: a testsuite that miscounts is reported', () => {
    expect(countProblems(xml.replace(/(<testsuite [^>]*?)failures="\d+"/, '$1failures="99"'))).toHaveLength(1);
  });

  it('escapes hostile names and messages into well-formed XML', () => {
    const hostile = formatJunit(hostileReport(), TEST_CONTEXT);
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('x&lt;/testcase&gt;&lt;script&gt;&amp;amp;');
    expect(hostile).toContain('&#10;new line');
    expect(hostile).toContain('\\x1b[31mred');
  });

  it('puts the run time on <testsuites> in seconds', () => {
    const quick: AuditReport = { ...report, durationMs: 1234 };
    expect(formatJunit(quick, TEST_CONTEXT)).toMatch(/<testsuites [^>]* time="1\.234">/);
  });
});
