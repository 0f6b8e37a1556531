import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { formatReport } from '../../src/report/index.js';
import { formatJson, jsonReportChunks } from '../../src/report/json.js';
import { reportSchemaProblems } from './consumer-rules.js';
import { golden } from './golden.js';
import { TEST_CONTEXT, fleetReport, goldenReport, hostileReport, largeFleetReport } from './sample-reports.js';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('json report', () => {
  const report = goldenReport();
  const text = formatJson(report, TEST_CONTEXT);
  const parsed = JSON.parse(text);

  it('matches the golden file', () => {
    expect(text).toBe(golden('golden.json', text));
  });

  it('is valid against documents/report.schema.json (ajv, draft 2020-12), hostile text included', () => {
    expect(reportSchemaProblems(parsed)).toEqual([]);
    expect(reportSchemaProblems(JSON.parse(formatJson(fleetReport(), TEST_CONTEXT)))).toEqual([]);
    expect(reportSchemaProblems(JSON.parse(formatJson(hostileReport(), TEST_CONTEXT)))).toEqual([]);
  });

  it('the schema check can fail: a report without its tool, or with an unknown status, is rejected', () => {
    const { tool: _tool, ...withoutTool } = parsed;
    expect(reportSchemaProblems(withoutTool).join('\n')).toContain("must have required property 'tool'");
    const badStatus = JSON.parse(text);
    badStatus.results[0].status = 'OK';
    expect(reportSchemaProblems(badStatus).join('\n')).toContain('/results/0/status must be equal to one of the allowed values');
  });

  it('carries the tool version, regions, account, tag query and duration', () => {
    expect(parsed.tool).toEqual({ name: 'swarm-audit', version: '0.0.0-test' });
    expect(parsed.durationMs).toBe(60_000);
    expect(parsed.target).toEqual({
      regions: ['eu-west-1'],
      accountId: '123456789012',
      tagQuery: { tags: [{ key: 'Swarm', values: ['prod', 'staging'] }], tagKeys: ['Team'] },
    });
    const fromCli = JSON.parse(formatReport('json', report, { target: { regions: ['us-east-1'], tagQuery: TEST_CONTEXT.target.tagQuery } }));
    expect(fromCli.tool.version).toBe(packageVersion);
    expect(fromCli.target).not.toHaveProperty('accountId');
    expect(reportSchemaProblems(fromCli)).toEqual([]);
  });

  it('counts add up: one result per (check, resource), summary by status', () => {
    const statuses = ['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE'] as const;
    expect(statuses.reduce((sum, s) => sum + parsed.summary[s], 0)).toBe(parsed.results.length);
    for (const s of statuses) expect(parsed.results.filter((r: { status: string }) => r.status === s)).toHaveLength(parsed.summary[s]);
  });

  it('uses the contract key order and sorts evidence keys', () => {
    const hostile = JSON.parse(formatJson(hostileReport(), TEST_CONTEXT));
    expect(Object.keys(hostile)).toEqual([
      'schemaVersion',
      'tool',
      'startedAt',
      'finishedAt',
      'durationMs',
      'target',
      'summary',
      'checks',
      'instances',
      'results',
    ]);
    expect(Object.keys(hostile.summary)).toEqual(['PASS', 'FAIL', 'WARN', 'ERROR', 'NOT_APPLICABLE', 'instances', 'clusters']);
    expect(Object.keys(hostile.results[0])).toEqual(['checkId', 'status', 'severity', 'instanceId', 'clusterId', 'resource', 'message', 'evidence']);
    expect(Object.keys(hostile.results[0].evidence)).toEqual(['a', 'z']);
    expect(Object.keys(hostile.results[0].evidence.a)).toEqual(['b', 'y']);
  });

  it('round-trips the engine report apart from the context fields', () => {
    const { tool: _t, target: _g, ...rest } = parsed;
    expect(rest).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('is pretty, ends with a newline and is identical for identical input', () => {
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "summary": {');
    expect(formatJson(goldenReport(), TEST_CONTEXT)).toBe(text);
  });
});

/** JSON.stringify's own pretty-printing of the same value: the bytes the streamed writer must reproduce. */
const restringified = (text: string) => `${JSON.stringify(JSON.parse(text), null, 2)}\n`;

describe('json report in chunks (written as it is built)', () => {
  it('a big fleet comes in chunks of 64 KB and more, never whole, whose text is exactly JSON.stringify(…, null, 2)', () => {
    const report = largeFleetReport(300);
    const chunks = [...jsonReportChunks(report, TEST_CONTEXT)];
    const text = chunks.join('');
    expect(text.length).toBeGreaterThan(4 * 64 * 1024);
    expect(chunks.length).toBeGreaterThan(3);
    // a chunk is handed over once 64 KB are gathered (one element may carry it past: a manager's findings hold big evidence)
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(64 * 1024);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(text.length / 4);
    expect(text).toBe(restringified(text));
    expect(reportSchemaProblems(JSON.parse(text))).toEqual([]);
  });

  it('hostile text (newlines, quotes, control characters inside strings) keeps the exact layout', () => {
    const text = formatJson(hostileReport(), TEST_CONTEXT);
    expect(text).toBe(restringified(text));
  });

  it('empty lists and a report without its check list are laid out as JSON.stringify lays them out', () => {
    const { checks: _checks, ...withoutChecks } = hostileReport();
    const empty = { ...withoutChecks, instances: [], results: [] };
    const text = formatJson(empty, TEST_CONTEXT);
    expect(text).toContain('"instances": [],\n  "results": []\n}');
    expect(text).not.toContain('"checks"');
    expect(text).toBe(restringified(text));
  });
});
