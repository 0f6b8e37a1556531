/**
 * Journal records against their JSON Schema (src/remediation/journal.ts,
 * ajv), written by a forger who keeps the hash chain intact: the chain is
 * checked as before, then each record's shape, named by line and path.
 */
import { createHash } from 'node:crypto';
import { JOURNAL_VERSION, parseJournal, planInstances } from '../../src/remediation/journal.js';
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import { savedPlanOf } from '../../src/remediation/saved-plan.js';
import { canonicalJson } from '../../src/remediation/state-hash.js';
import { fixtureFleet } from './helpers/fixture-fleet.js';

const { hosts, findings } = fixtureFleet();
const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'], now: new Date('2026-01-01T00:00:00Z') });
const saved = savedPlanOf(plan);
const step = plan.clusters[0].steps[0];
const AT = '2026-01-01T00:00:00.000Z';

/** A journal of these records, each line chained as JournalWriter chains them. */
function chained(records: object[]): string {
  let previous = 'swarm-audit-journal';
  return records
    .map((record) => {
      const hash = `sha256:${createHash('sha256').update(previous).update('\n').update(canonicalJson(record)).digest('hex')}`;
      previous = hash;
      return `${JSON.stringify({ ...record, hash })}\n`;
    })
    .join('');
}

const begin = { type: 'begin', v: JOURNAL_VERSION, planDigest: saved.digest, instances: planInstances(saved), plan: saved, preState: {}, at: AT };
const started = { type: 'step-started', stepId: step.id, kind: step.kind, instanceId: step.instanceId, clusterId: step.clusterId, title: step.title, at: AT };

describe('journal record schema', () => {
  test('a well-formed journal reads', () => {
    expect(parseJournal(chained([begin, started, { type: 'end', status: 'applied', at: AT }])).records).toHaveLength(3);
  });

  test.each([
    ['an unknown record type', { type: 'run-script', script: 'reboot', at: AT }, 'line 2: $.type "run-script" is not a known journal record type'],
    ['a field of the wrong type', { ...started, kind: 7 }, 'line 2: $.kind must be a string'],
    ['a missing field', { type: 'step-done', stepId: step.id, kind: step.kind, at: AT }, 'line 2: $.instanceId is missing'],
    ['a status no cluster ends in', { type: 'cluster-done', clusterId: step.clusterId, status: 'exploded', at: AT }, 'line 2: $.status must be one of applied, failed, rolled-back, rollback-failed, got "exploded"'],
    ['an undo phase that does not exist', { type: 'undo-done', phase: 'forward', stepId: step.id, at: AT }, 'line 2: $.phase must be one of rollback, backout, got "forward"'],
  ])('%s is refused by line and path (JournalCorrupt)', (_what, forged, message) => {
    expect(() => parseJournal(chained([begin, forged]))).toThrow(expect.objectContaining({ code: 'JournalCorrupt', message: `journal ${message}` }));
  });

  test('a begin record whose plan is not an object is refused before the plan is read', () => {
    expect(() => parseJournal(chained([{ ...begin, plan: 'rm -rf /' }]))).toThrow('journal line 1: $.plan must be an object');
  });

  test('the begin record\'s plan is held to the plan file schema', () => {
    const plan = { ...saved, options: { ...saved.options, keepName: 'no' } };
    expect(() => parseJournal(chained([{ ...begin, plan }]))).toThrow('journal line 1: its plan: $.options.keepName must be true or false');
  });
});
