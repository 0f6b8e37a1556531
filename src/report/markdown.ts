import type { AuditReport } from '../engine/report-model.js';
import { STATUSES } from '../engine/summary.js';
import { resourceLabel, whereOf } from './labels.js';
import { escapeMarkdownCell as cell } from './text-safety.js';

/** A markdown report for pull requests, wikis and job summaries. */
export function formatMarkdown(report: AuditReport): string {
  const { summary } = report;
  const lines = [
    '# swarm-audit report',
    '',
    `Audit from ${cell(report.startedAt)} to ${cell(report.finishedAt)}: ${summary.instances} instances, ` +
      `${summary.clusters} clusters.`,
    '',
    `| ${STATUSES.join(' | ')} |`,
    `| ${STATUSES.map(() => '---:').join(' | ')} |`,
    `| ${STATUSES.map((status) => summary[status]).join(' | ')} |`,
    '',
    '## Results',
    '',
    '| Status | Severity | Check | Instance / cluster | Resource | Message |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.results.map(
      (r) =>
        `| ${r.status} | ${r.severity} | ${cell(r.checkId)} | ${cell(whereOf(r))} | ${cell(resourceLabel(r))} | ${cell(r.message)} |`,
    ),
  ];
  const notAudited = report.instances.filter((i) => i.error);
  if (notAudited.length > 0) {
    lines.push('', '## Instances not fully audited', '', '| Instance | Reason |', '| --- | --- |');
    lines.push(...notAudited.map((i) => `| ${cell(i.instanceId)} | ${cell(i.error!)} |`));
  }
  return `${lines.join('\n')}\n`;
}
