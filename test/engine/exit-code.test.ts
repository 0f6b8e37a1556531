import { describe, expect, it } from '@jest/globals';
import { exitCodeFor } from '../../src/engine/exit-code.js';
import type { AuditReport } from '../../src/engine/report-model.js';

function report(counts: Counts): AuditReport {
  return {
    schemaVersion: '1.0',
    startedAt: '',
    finishedAt: '',
    durationMs: 0,
    summary: { PASS: 0, FAIL: 0, WARN: 0, ERROR: 0, NOT_APPLICABLE: 0, instances: 1, clusters: 1, ...counts },
    instances: [],
    results: [],
  };
}

type Counts = Partial<Record<'PASS' | 'FAIL' | 'WARN' | 'ERROR' | 'NOT_APPLICABLE', number>>;
const cases: [Counts, 'fail' | 'warn', 0 | 1 | 2][] = [
  [{ PASS: 3 }, 'fail', 0],
  [{ PASS: 3, NOT_APPLICABLE: 2 }, 'fail', 0],
  [{ WARN: 1 }, 'fail', 0],
  [{ WARN: 1 }, 'warn', 1],
  [{ FAIL: 1 }, 'fail', 1],
  [{ ERROR: 1 }, 'fail', 2],
  [{ ERROR: 1, WARN: 1 }, 'fail', 2],
  [{ ERROR: 1, WARN: 1 }, 'warn', 1],
  [{ FAIL: 1, ERROR: 5 }, 'fail', 1],
  [{}, 'fail', 0],
];

describe('exitCodeFor', () => {
  it.each(cases)('%j with --fail-on %s -> %d', (counts, failOn, code) => {
    expect(exitCodeFor(report(counts), failOn)).toBe(code);
  });
});
