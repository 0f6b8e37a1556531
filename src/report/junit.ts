import type { Finding } from '../checks/types.js';
import type { AuditReport } from '../engine/report-model.js';
import { checksOf, resourceLabel, whereOf } from './labels.js';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './text-safety.js';

/**
 * JUnit XML for CI: one testsuite per check, one testcase per result.
 * FAIL -> failure, ERROR -> error, WARN and NOT_APPLICABLE -> skipped
 * (kube-bench's mapping), PASS -> a plain testcase.
 */
export function formatJunit(report: AuditReport): string {
  const suites = checksOf(report).map((check) => {
    const results = report.results.filter((r) => r.checkId === check.id);
    const count = (status: Finding['status'][]) => results.filter((r) => status.includes(r.status)).length;
    const cases = results.map(testcase).join('');
    return (
      `  <testsuite name="${attr(check.id)}" tests="${results.length}" failures="${count(['FAIL'])}" ` +
      `errors="${count(['ERROR'])}" skipped="${count(['WARN', 'NOT_APPLICABLE'])}" timestamp="${attr(report.startedAt)}">\n` +
      `${cases}  </testsuite>\n`
    );
  });
  const { FAIL, ERROR, WARN, NOT_APPLICABLE } = report.summary;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="swarm-audit" tests="${report.results.length}" failures="${FAIL}" errors="${ERROR}" ` +
    `skipped="${WARN + NOT_APPLICABLE}">\n${suites.join('')}</testsuites>\n`
  );
}

function testcase(finding: Finding): string {
  const open = `    <testcase classname="${attr(`${finding.checkId}.${whereOf(finding)}`)}" name="${attr(resourceLabel(finding))}"`;
  const message = `${finding.severity.toUpperCase()}: ${finding.message}`;
  switch (finding.status) {
    case 'PASS':
      return `${open}/>\n`;
    case 'FAIL':
      return `${open}>\n      <failure message="${attr(message)}" type="FAIL">${text(finding.message)}</failure>\n    </testcase>\n`;
    case 'ERROR':
      return `${open}>\n      <error message="${attr(message)}" type="ERROR">${text(finding.message)}</error>\n    </testcase>\n`;
    default:
      return `${open}>\n      <skipped message="${attr(`${finding.status}: ${finding.message}`)}"/>\n    </testcase>\n`;
  }
}
