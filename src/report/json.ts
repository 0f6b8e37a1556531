import type { Finding } from '../checks/types.js';
import type { AuditReport, InstanceReport, ReportedCheck, ReportSummary, ScopeReport } from '../engine/report-model.js';
import type { AuditTarget, ReportContext } from './context.js';

/**
 * The public JSON report (documents/report.schema.json), pretty-printed with
 * a stable key order (contract order for known objects, sorted keys inside
 * free-form evidence), so two runs over the same fleet diff cleanly. The
 * tool and the audit target come from the context: the engine never sees
 * the command line.
 */
export function formatJson(report: AuditReport, ctx: ReportContext): string {
  return [...jsonReportChunks(report, ctx)].join('');
}

/** Characters gathered before a chunk is handed to the writer: few writes, and little held at once. */
const CHUNK_CHARS = 64 * 1024;

/**
 * formatJson's exact text in chunks of about 64 KB, each built when asked
 * for: the instances and results are ordered and stringified one at a time,
 * so a 10,000-host report (32.7 MB of JSON, 100,000+ findings) is never held
 * as one string nor as an ordered copy of the whole report.
 */
export function* jsonReportChunks(report: AuditReport, ctx: ReportContext): Generator<string> {
  let pending = '';
  for (const piece of prettyObject(orderedFields(report, ctx))) {
    pending += piece;
    if (pending.length >= CHUNK_CHARS) {
      yield pending;
      pending = '';
    }
  }
  yield pending;
}

/** An array written element by element, each element ordered only while it is written. */
class LazyArray<T> {
  constructor(
    readonly items: readonly T[],
    readonly order: (item: T) => object,
  ) {}
}

function orderedFields(report: AuditReport, ctx: ReportContext): Array<[string, unknown]> {
  return [
    ['schemaVersion', report.schemaVersion],
    ['tool', { name: ctx.tool.name, version: ctx.tool.version }],
    ['startedAt', report.startedAt],
    ['finishedAt', report.finishedAt],
    ['durationMs', report.durationMs],
    ['target', orderTarget(ctx.target)],
    ['summary', orderSummary(report.summary)],
    ['scopes', report.scopes?.map(orderScope)],
    ['checks', report.checks === undefined ? undefined : new LazyArray(report.checks, orderCheck)],
    ['instances', new LazyArray(report.instances, orderInstance)],
    ['results', new LazyArray(report.results, orderFinding)],
  ];
}

/**
 * `JSON.stringify(object, null, 2)` of a plain object of these fields, in
 * pieces. Fields that are undefined are left out, as JSON.stringify does.
 */
function* prettyObject(fields: Array<[string, unknown]>): Generator<string> {
  const present = fields.filter(([, value]) => value !== undefined);
  if (present.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{';
  for (const [index, [key, value]] of present.entries()) {
    yield `${index === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (value instanceof LazyArray) yield* prettyArray(value);
    else yield nested(JSON.stringify(value, null, 2), '  ');
  }
  yield '\n}\n';
}

function* prettyArray<T>(array: LazyArray<T>): Generator<string> {
  if (array.items.length === 0) {
    yield '[]';
    return;
  }
  yield '[';
  for (const [index, item] of array.items.entries()) {
    yield `${index === 0 ? '' : ','}\n    ${nested(JSON.stringify(array.order(item), null, 2), '    ')}`;
  }
  yield '\n  ]';
}

/** Indents a pretty-printed value placed `indent` deep; JSON escapes newlines inside strings, so every raw newline is a line break. */
function nested(json: string, indent: string): string {
  return json.replaceAll('\n', `\n${indent}`);
}

function orderTarget(target: AuditTarget): object {
  return {
    regions: target.regions,
    accountId: target.accountId,
    tagQuery: {
      tags: target.tagQuery.tags.map((tag) => ({ key: tag.key, values: tag.values })),
      tagKeys: target.tagQuery.tagKeys,
    },
  };
}

function orderSummary(summary: ReportSummary): object {
  const { PASS, FAIL, WARN, ERROR, NOT_APPLICABLE, instances, clusters } = summary;
  return { PASS, FAIL, WARN, ERROR, NOT_APPLICABLE, instances, clusters };
}

function orderScope(scope: ScopeReport): object {
  const { accountId, region, roleArn, status, cause, summary } = scope;
  return { accountId, region, roleArn, status, cause, summary: orderSummary(summary) };
}

function orderCheck(check: ReportedCheck): object {
  const { id, title, cis, severity, scope, remediable, description } = check;
  return { id, title, cis, severity, scope, remediable, description };
}

function orderInstance(instance: InstanceReport): object {
  const { instanceId, accountId, region, name, privateIp, reachable, swarm, engineVersion, error } = instance;
  const orderedSwarm = swarm && {
    state: swarm.state,
    role: swarm.role,
    clusterId: swarm.clusterId,
    nodeId: swarm.nodeId,
    nodeAddr: swarm.nodeAddr,
  };
  return { instanceId, accountId, region, name, privateIp, reachable, swarm: orderedSwarm, engineVersion, error };
}

function orderFinding(finding: Finding): object {
  const { checkId, status, severity, instanceId, accountId, region, clusterId, resource, message, evidence } = finding;
  return {
    checkId,
    status,
    severity,
    instanceId,
    accountId,
    region,
    clusterId,
    resource: { type: resource.type, id: resource.id, name: resource.name },
    message,
    evidence: evidence === undefined ? undefined : sortKeys(evidence),
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}
