import type { Finding, Status } from '../checks/types.js';
import type { AuditReport, ReportedCheck } from '../engine/report-model.js';
import { STATUSES } from '../engine/summary.js';
import type { AuditTarget, ReportContext } from './context.js';
import { checksOf, failedScopes, resourceLabel, scopeLabel, spansScopes } from './labels.js';
import { escapeMarkdownCell as cell } from './text-safety.js';

/** GitHub's limit for a pull-request body or comment; a change ticket takes less than that in practice. */
export const MARKDOWN_MAX_CHARS = 65_536;
/** Room kept for the closing note that says how much was left out. */
const NOTE_RESERVE = 400;
/** What a person must act on, in that order; PASS and NOT_APPLICABLE are only counted. */
const LISTED: readonly Status[] = ['FAIL', 'ERROR', 'WARN'];

interface Group {
  heading: string[];
  rows: string[];
}

/**
 * A summary to paste into a pull request or change ticket: what was
 * audited, the counts, then FAIL, ERROR and WARN grouped by check and
 * cluster. It stays under MARKDOWN_MAX_CHARS: past that, rows are left out
 * and a closing note says how many (the JSON report has them all).
 */
export function formatMarkdown(report: AuditReport, ctx: Pick<ReportContext, 'target' | 'statuses'>): string {
  const head = [...headerLines(report, ctx.target), '', ...scopeLines(report)];
  const shown = ctx.statuses === undefined ? LISTED : LISTED.filter((status) => ctx.statuses!.includes(status));
  const groups = shown.flatMap((status) => statusGroups(report, status));
  const notAudited = report.instances.filter((i) => i.error);
  if (notAudited.length > 0) {
    groups.push({
      heading: [`## Instances not fully audited (${notAudited.length})`, '', '| Instance | Reason |', '| --- | --- |'],
      rows: notAudited.map((i) => `| ${cell(scopedInstance(i, spansScopes(report)))} | ${cell(i.error!)} |`),
    });
  }
  return fitWithin(head, groups, MARKDOWN_MAX_CHARS);
}

function headerLines(report: AuditReport, target: AuditTarget): string[] {
  const { summary } = report;
  const listed = LISTED.reduce((sum, status) => sum + summary[status], 0);
  const account = target.accountId ? `, account ${target.accountId}` : '';
  return [
    '# swarm-audit report',
    '',
    `${summary.instances} instance${summary.instances === 1 ? '' : 's'} in ${summary.clusters} cluster${summary.clusters === 1 ? '' : 's'} ` +
      `(${cell(tagQueryText(target))}; ${cell(target.regions.join(', '))}${cell(account)}), ` +
      `${cell(report.startedAt)}, ${(report.durationMs / 1000).toFixed(1)} s.`,
    '',
    `| ${STATUSES.join(' | ')} |`,
    `| ${STATUSES.map(() => '---:').join(' | ')} |`,
    `| ${STATUSES.map((status) => summary[status]).join(' | ')} |`,
    ...(listed === 0 ? ['', 'Nothing failed, warned or errored.'] : []),
  ];
}

function tagQueryText({ tagQuery }: AuditTarget): string {
  const tags = tagQuery.tags.map((tag) => `tag ${tag.key}=${tag.values.join(',')}`);
  const keys = tagQuery.tagKeys.map((key) => `tag key ${key}`);
  return [...tags, ...keys].join(' and ');
}

/** One group per (check, cluster) for one status; the first carries the status heading, the first of a check its heading. */
function statusGroups(report: AuditReport, status: Status): Group[] {
  const findings = report.results.filter((r) => r.status === status);
  if (findings.length === 0) return [];
  const groups: Group[] = [];
  const withScope = spansScopes(report);
  let statusHeading: string[] = [`## ${status} (${findings.length})`, ''];
  for (const check of checksOf(report)) {
    const ofCheck = findings.filter((f) => f.checkId === check.id);
    if (ofCheck.length === 0) continue;
    let checkHeading = [checkTitle(check, ofCheck.length), ''];
    for (const [cluster, rows] of byCluster(ofCheck, withScope)) {
      groups.push({
        heading: [...statusHeading, ...checkHeading, `**${cluster}** (${rows.length})`, '', '| Severity | Instance | Resource | Message |', '| --- | --- | --- | --- |'],
        rows: rows.map((f) => `| ${f.severity} | ${cell(scopedInstance(f, withScope))} | ${cell(resourceLabel(f))} | ${cell(f.message)} |`),
      });
      statusHeading = [];
      checkHeading = [];
    }
  }
  return groups;
}

/** "i-123", or "111111111111/eu-west-1 i-123" in a report of several scopes (the same id may exist in two). */
function scopedInstance(item: { instanceId: string; accountId?: string; region?: string }, withScope: boolean): string {
  const scope = withScope ? scopeLabel(item) : undefined;
  return scope ? `${scope} ${item.instanceId}` : item.instanceId;
}

/** Each scope's counts when the report spans several, and always a scope that could not be audited (the gap, with its cause). */
function scopeLines(report: AuditReport): string[] {
  const scopes = spansScopes(report) ? (report.scopes ?? []) : failedScopes(report);
  if (scopes.length === 0) return [];
  const failed = failedScopes(report).length;
  return [
    `## Scopes (${scopes.length}${failed ? `, ${failed} not audited` : ''})`,
    '',
    '| Account / region | Status | Instances | FAIL | ERROR | WARN | Cause |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...scopes.map((s) => {
      const { instances, FAIL, ERROR, WARN } = s.summary;
      return `| ${cell(scopeLabel(s) ?? s.region)} | ${s.status} | ${instances} | ${FAIL} | ${ERROR} | ${WARN} | ${cell(s.cause ?? '')} |`;
    }),
    '',
  ];
}

function checkTitle(check: ReportedCheck, count: number): string {
  const cis = check.cis ? ` (CIS ${cell(check.cis)})` : '';
  return `### ${cell(check.id)} (${count}): ${cell(check.title)}${cis}`;
}

function byCluster(findings: Finding[], withScope: boolean): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const cluster = finding.clusterId ? `cluster ${cell(finding.clusterId)}` : 'no cluster';
    const scope = withScope ? scopeLabel(finding) : undefined;
    const key = scope ? `${cell(scope)} ${cluster}` : cluster;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  return groups;
}

/** Headings and rows in order while they fit; after the first cut nothing more, then a note with the number of rows left out. */
function fitWithin(head: string[], groups: Group[], maxChars: number): string {
  const out = [...head];
  const budget = maxChars - NOTE_RESERVE;
  let used = lengthOf(head);
  let shown = 0;
  let total = 0;
  let cut = false;
  for (const group of groups) {
    total += group.rows.length;
    if (cut) continue;
    const rows: string[] = [];
    let groupLength = lengthOf(group.heading) + 1;
    for (const row of group.rows) {
      if (used + groupLength + row.length + 1 > budget) break;
      rows.push(row);
      groupLength += row.length + 1;
    }
    cut = rows.length < group.rows.length;
    if (rows.length === 0) continue;
    out.push(...group.heading, ...rows, '');
    used += groupLength;
    shown += rows.length;
  }
  if (cut) {
    out.push(`_${total - shown} of ${total} rows left out to stay under ${MARKDOWN_MAX_CHARS} characters; the JSON report lists every result._`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function lengthOf(lines: string[]): number {
  return lines.reduce((sum, line) => sum + line.length + 1, 0);
}
