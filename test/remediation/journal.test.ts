import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOURNAL_VERSION, JournalWriter, parseJournal, pendingUndos, planInstances, readJournal } from '../../src/remediation/journal.js';
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import type { Step } from '../../src/remediation/plan.js';
import { savedPlanOf } from '../../src/remediation/saved-plan.js';
import { canonicalJson } from '../../src/remediation/state-hash.js';
import { fixtureFleet } from './helpers/fixture-fleet.js';

const { hosts, findings } = fixtureFleet();
const plan = planRemediation({ hosts, findings, checks: ['overlay-encryption'], now: new Date('2026-01-01T00:00:00Z') });
const saved = savedPlanOf(plan);
const [create, add, detach] = plan.clusters[0].steps as [Step, Step, Step, Step];
const ref = (s: Step) => ({ stepId: s.id, kind: s.kind, instanceId: s.instanceId });

describe('journal', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'swf-journal-'));
    path = join(dir, 'j.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(): void {
    const j = JournalWriter.create(path, () => new Date('2026-01-01T00:00:00Z'));
    j.write({ type: 'begin', v: JOURNAL_VERSION, planDigest: saved.digest, instances: planInstances(saved), plan: saved, preState: { a: 1 } });
    j.write({ type: 'step-started', clusterId: create.clusterId, title: create.title, ...ref(create) });
    j.write({ type: 'step-done', ...ref(create) });
    j.write({ type: 'step-started', clusterId: add.clusterId, title: add.title, ...ref(add) });
    j.write({ type: 'step-done', ...ref(add) });
    j.write({ type: 'step-started', clusterId: detach.clusterId, title: detach.title, ...ref(detach) });
    j.close();
  }
  const lines = () => readFileSync(path, 'utf8').split('\n');
  const rewrite = (edit: (ls: string[]) => void) => {
    const ls = lines();
    edit(ls);
    writeFileSync(path, ls.join('\n'));
  };

  test('JSON Lines, one record per line, each with a timestamp and the chained hash', () => {
    write();
    const ls = lines().filter(Boolean);
    expect(ls).toHaveLength(6);
    expect(JSON.parse(ls[0])).toMatchObject({ type: 'begin', v: 2, planDigest: saved.digest, instances: ['i-0000000000000a001'], at: '2026-01-01T00:00:00.000Z' });
    expect(JSON.parse(ls[5])).toEqual({ type: 'step-started', ...ref(detach), clusterId: detach.clusterId, title: detach.title, at: '2026-01-01T00:00:00.000Z', hash: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) });
    // never a script: the undo is rebuilt from the plan's intents
    expect(readFileSync(path, 'utf8')).not.toContain('docker service update');
  });

  test('a step started but never finished (crash) is still undone, latest first, with the builders\' undo', () => {
    write();
    const { records, steps } = readJournal(path);
    const pending = pendingUndos(records, steps);
    expect(pending.map((u) => u.stepId)).toEqual([detach.id, add.id, create.id]);
    expect(pending[0].inverse).toEqual(detach.inverse);
  });

  test('undone steps are not undone twice; appending continues the chain', () => {
    write();
    const contents = readJournal(path);
    const j = JournalWriter.append(path, contents);
    j.write({ type: 'undo-started', phase: 'backout', stepId: detach.id });
    j.write({ type: 'undo-done', phase: 'backout', stepId: detach.id });
    j.close();
    const again = readJournal(path);
    expect(pendingUndos(again.records, again.steps).map((u) => u.stepId)).toEqual([add.id, create.id]);
  });

  test('a torn last line (crash mid-write) is ignored and reported, and cut off before backout appends', () => {
    write();
    appendFileSync(path, '{"type":"step-done","stepId":"s');
    const contents = readJournal(path);
    expect(contents.records).toHaveLength(6);
    expect(contents.tornTail).toBe('{"type":"step-done","stepId":"s');
    const j = JournalWriter.append(path, contents);
    j.write({ type: 'end', status: 'backed-out' });
    j.close();
    expect(readJournal(path).records.at(-1)).toMatchObject({ type: 'end' });
  });

  test('a line edited by hand is refused with its line number; so is a removed line', () => {
    write();
    rewrite((ls) => (ls[3] = ls[3].replace(add.id, create.id)));
    expect(() => readJournal(path)).toThrow(expect.objectContaining({ code: 'JournalCorrupt', message: expect.stringMatching(/j\.jsonl line 4: .*edited/) }));

    rmSync(path);
    write();
    rewrite((ls) => ls.splice(2, 1));
    expect(() => readJournal(path)).toThrow(/line 3: .*edited/);
  });

  test('an edit with its hash recomputed breaks the next line\'s link', () => {
    write();
    const { records } = readJournal(path);
    // a forger who recomputes line 4's own hash: line 5 no longer follows it
    const forged = { ...records[3], title: 'touch /tmp/pwned' };
    const ls = lines();
    const prevHash = JSON.parse(ls[2]).hash as string;
    const hash = `sha256:${createHash('sha256').update(prevHash).update('\n').update(canonicalJson(forged)).digest('hex')}`;
    ls[3] = JSON.stringify({ ...forged, hash });
    writeFileSync(path, ls.join('\n'));
    expect(() => readJournal(path)).toThrow(/line 5: .*edited/);
  });

  test('strict otherwise: a corrupt middle line, a missing begin, an unknown record, a script smuggled in a field', () => {
    write();
    const text = readFileSync(path, 'utf8');
    const ls = text.split('\n');
    ls[2] = '{"type":"step-done",';
    expect(() => parseJournal(ls.join('\n'))).toThrow(expect.objectContaining({ code: 'JournalCorrupt', message: expect.stringContaining('line 3') }));
    expect(() => parseJournal('')).toThrow(expect.objectContaining({ code: 'JournalCorrupt' }));
    expect(() => parseJournal(`${text}{"type":"rm -rf","at":"x"}\n`)).toThrow(/line 7: has no hash/);
  });

  test('a step or an instance not in the bound plan is refused with the line', () => {
    const j = JournalWriter.create(path);
    j.write({ type: 'begin', v: JOURNAL_VERSION, planDigest: saved.digest, instances: planInstances(saved), plan: saved, preState: {} });
    j.write({ type: 'step-started', clusterId: create.clusterId, title: 'x', ...ref(create), instanceId: 'i-0000000000000a003' });
    j.close();
    expect(() => readJournal(path)).toThrow(/line 2: step .* ran on i-0000000000000a003, but the plan runs it on i-0000000000000a001/);

    rmSync(path);
    const k = JournalWriter.create(path);
    k.write({ type: 'begin', v: JOURNAL_VERSION, planDigest: saved.digest, instances: planInstances(saved), plan: saved, preState: {} });
    k.write({ type: 'undo-started', phase: 'backout', stepId: 'zyq8n13kwqpt-099-node-rejoin' });
    k.close();
    expect(() => readJournal(path)).toThrow(/line 2: step zyq8n13kwqpt-099-node-rejoin is not in the journal's plan/);

    rmSync(path);
    const m = JournalWriter.create(path);
    m.write({ type: 'begin', v: JOURNAL_VERSION, planDigest: saved.digest, instances: ['i-0000000000000a001', 'i-0000000000000a009'], plan: saved, preState: {} });
    m.close();
    expect(() => readJournal(path)).toThrow(/line 1: instances .* are not the plan's/);
  });

  test('refuses to overwrite an existing journal', () => {
    writeFileSync(path, 'keep me');
    expect(() => JournalWriter.create(path)).toThrow(expect.objectContaining({ code: 'JournalExists' }));
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });
});
