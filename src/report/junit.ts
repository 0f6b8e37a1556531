import type { Finding } from '../checks/types.js';
import type { AuditReport } from '../engine/report-model.js';
import type { ReportContext } from './context.js';
import { checksOf, failedScopes, resourceLabel, scopeLabel, spansScopes, whereOf } from './labels.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './text-safety.js';

type Outcome = 'passed' | 'failure' | 'error' | 'skipped';

/**
 * JUnit XML for CI test-report readers (Jenkins xunit's junit-10.xsd, GitLab,
 * GitHub Actions reporters): one testsuite per check, one testcase per
 * (check, resource). FAIL -> failure, ERROR -> error, NOT_APPLICABLE ->
 * skipped, WARN -> skipped, or failure under `--fail-on warn` so the job's
 * red shows in the report. Counts on testsuite and testsuites are those of
 * the testcases below them. The checks evaluate one probe per instance, so a
 * testcase takes no time of its own (time="0.000"); the run's wall time is
 * on <testsuites>.
 */
export function formatJunit(report: AuditReport, ctx: Pick<ReportContext, 'failOn'>): string {
  const outcome = (finding: Finding) => outcomeOf(finding, ctx.failOn);
  const withScope = spansScopes(report);
  const suites = checksOf(report).map((check) => {
    const results = report.results.filter((r) => r.checkId === check.id);
    const count = (wanted: Outcome) => results.filter((r) => outcome(r) === wanted).length;
    return (
      `  <testsuite name="${attr(check.id)}" tests="${results.length}" failures="${count('failure')}" ` +
      `errors="${count('error')}" skipped="${count('skipped')}" time="0.000" timestamp="${attr(report.startedAt)}">\n` +
      `${results.map((r) => testcase(r, outcome(r), withScope)).join('')}  </testsuite>\n`
    );
  });
  const scopeErrors = failedScopes(report);
  if (scopeErrors.length > 0) suites.push(scopeSuite(scopeErrors, report.startedAt));
  const all = (wanted: Outcome) => report.results.filter((r) => outcome(r) === wanted).length;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="swarm-audit" tests="${report.results.length + scopeErrors.length}" failures="${all('failure')}" errors="${all('error') + scopeErrors.length}" ` +
    `time="${seconds(report.durationMs)}">\n${suites.join('')}</testsuites>\n`
  );
}

/** A scope (account, region) that could not be audited: an error testcase, so CI shows the gap. */
function scopeSuite(scopes: ReturnType<typeof failedScopes>, startedAt: string): string {
  const cases = scopes.map((scope) => {
    const message = attr(`ERROR: scope not audited: ${scope.cause ?? 'unknown cause'}`);
    return (
      `    <testcase classname="scope" name="${attr(scopeLabel(scope) ?? scope.region)}" time="0.000">\n` +
      `      <error message="${message}" type="ERROR">${text(scope.cause ?? '')}</error>\n    </testcase>\n`
    );
  });
  return (
    `  <testsuite name="scopes" tests="${scopes.length}" failures="0" errors="${scopes.length}" skipped="0" time="0.000" timestamp="${attr(startedAt)}">\n` +
    `${cases.join('')}  </testsuite>\n`
  );
}

function outcomeOf(finding: Finding, failOn: ReportContext['failOn']): Outcome {
  switch (finding.status) {
    case 'PASS':
      return 'passed';
    case 'FAIL':
      return 'failure';
    case 'ERROR':
      return 'error';
    case 'WARN':
      return failOn === 'warn' ? 'failure' : 'skipped';
    case 'NOT_APPLICABLE':
      return 'skipped';
  }
}

function testcase(finding: Finding, outcome: Outcome, withScope: boolean): string {
  const open = `    <testcase classname="${attr(`${finding.checkId}.${whereOf(finding, withScope)}`)}" name="${attr(resourceLabel(finding))}" time="0.000"`;
  if (outcome === 'passed') return `${open}/>\n`;
  const message = attr(`${finding.status} (${finding.severity}): ${finding.message}`);
  const body = outcome === 'skipped' ? `<skipped message="${message}"/>` : `<${outcome} message="${message}" type="${finding.status}">${text(finding.message)}</${outcome}>`;
  return `${open}>\n      ${body}\n    </testcase>\n`;
}

/** Seconds with three decimals, the form of surefire's time attribute. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
