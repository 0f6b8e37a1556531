import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalWriter, parseJournal, pendingUndos, readJournal } from '../../src/remediation/journal.js';
import type { Plan } from '../../src/remediation/plan.js';

const plan: Plan = { schemaVersion: 1, createdAt: 'x', stateHash: `sha256:${'0'.repeat(64)}`, options: { keepName: false, includeIngress: false, unpublish: [], hostMode: [], force: false }, clusters: [], guidance: [] };
const inv = (n: number) => ({ instanceId: 'i-1', script: `undo ${n}` });

describe('journal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'swf-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(path: string): void {
    const j = JournalWriter.create(path, () => new Date('2026-01-01T00:00:00Z'));
    j.write({ type: 'begin', v: 1, planHash: plan.stateHash, plan, preState: { a: 1 } });
    j.write({ type: 'step-started', clusterId: 'c', stepId: 's1', title: 'one', inverse: inv(1) });
    j.write({ type: 'step-done', stepId: 's1' });
    j.write({ type: 'step-started', clusterId: 'c', stepId: 's2', title: 'two', inverse: null });
    j.write({ type: 'step-done', stepId: 's2' });
    j.write({ type: 'step-started', clusterId: 'c', stepId: 's3', title: 'three', inverse: inv(3) });
    j.close();
  }

  test('JSON Lines, one record per line, each with a timestamp', () => {
    const path = join(dir, 'j.jsonl');
    write(path);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'begin', v: 1, at: '2026-01-01T00:00:00.000Z', preState: { a: 1 } });
    expect(JSON.parse(lines[5]!)).toEqual({ type: 'step-started', clusterId: 'c', stepId: 's3', title: 'three', inverse: inv(3), at: '2026-01-01T00:00:00.000Z' });
  });

  test('a step started but never finished (crash) is still undone, latest first; no-inverse steps are skipped', () => {
    const path = join(dir, 'j.jsonl');
    write(path);
    expect(pendingUndos(readJournal(path).records).map((u) => u.stepId)).toEqual(['s3', 's1']);
  });

  test('undone steps are not undone twice', () => {
    const path = join(dir, 'j.jsonl');
    write(path);
    const j = JournalWriter.append(path);
    j.write({ type: 'undo-started', phase: 'backout', stepId: 's3' });
    j.write({ type: 'undo-done', phase: 'backout', stepId: 's3' });
    j.close();
    expect(pendingUndos(readJournal(path).records).map((u) => u.stepId)).toEqual(['s1']);
  });

  test('a torn last line (crash mid-write) is ignored and reported', () => {
    const path = join(dir, 'j.jsonl');
    write(path);
    appendFileSync(path, '{"type":"step-done","stepId":"s');
    const { records, tornTail } = readJournal(path);
    expect(records).toHaveLength(6);
    expect(tornTail).toBe('{"type":"step-done","stepId":"s');
  });

  test('strict otherwise: a corrupt middle line, a missing begin, an unknown record', () => {
    const path = join(dir, 'j.jsonl');
    write(path);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = '{"type":"step-done",';
    expect(() => parseJournal(lines.join('\n'))).toThrow(expect.objectContaining({ code: 'JournalCorrupt', message: expect.stringContaining('line 3') }));
    expect(() => parseJournal(`${JSON.stringify({ type: 'step-done', at: 'x', stepId: 's' })}\n`)).toThrow(/begin/);
    expect(() => parseJournal(`${readFileSync(path, 'utf8')}{"type":"rm -rf","at":"x"}\n`)).toThrow(/not a journal record/);
    expect(() => parseJournal('')).toThrow(expect.objectContaining({ code: 'JournalCorrupt' }));
  });

  test('refuses to overwrite an existing journal', () => {
    const path = join(dir, 'j.jsonl');
    writeFileSync(path, 'keep me');
    expect(() => JournalWriter.create(path)).toThrow(expect.objectContaining({ code: 'JournalExists' }));
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });
});
