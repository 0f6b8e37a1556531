import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { allChecks, selectChecks } from '../../src/checks/registry.js';
import { UsageError } from '../../src/errors.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHECKS_DIR = join(ROOT, 'src', 'checks');

/** Every folder of src/checks is a check. */
const checkFolders = readdirSync(CHECKS_DIR).filter((entry) => statSync(join(CHECKS_DIR, entry)).isDirectory());

describe('check registry', () => {
  it('finds the three public checks', () => {
    expect(checkFolders.sort()).toEqual(['overlay-encryption', 'swarm-listen-address', 'swarm-published-ports']);
  });

  it.each(checkFolders)('%s has index.ts, README.md, a registry line and tests', (folder) => {
    expect(existsSync(join(CHECKS_DIR, folder, 'index.ts'))).toBe(true);
    expect(existsSync(join(CHECKS_DIR, folder, 'README.md'))).toBe(true);
    expect(allChecks.map((c) => c.meta.id)).toContain(folder);
    expect(existsSync(join(ROOT, 'test', 'checks', `${folder}.test.ts`))).toBe(true);
  });

  it('registers every check once, with a folder, and a scope matching its evaluate function', () => {
    const ids = allChecks.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of allChecks) {
      expect(checkFolders).toContain(check.meta.id);
      const evaluator = check.meta.scope === 'node' ? 'evaluateNode' : 'evaluateCluster';
      expect(typeof (check as unknown as Record<string, unknown>)[evaluator]).toBe('function');
      expect(check.meta.title.length).toBeGreaterThan(10);
      expect(check.meta.description.length).toBeGreaterThan(20);
    }
  });

  it('selects all checks when none are named, in registry order', () => {
    expect(selectChecks(undefined)).toEqual([...allChecks]);
    expect(selectChecks([])).toEqual([...allChecks]);
  });

  it('selects named checks in registry order', () => {
    expect(selectChecks(['overlay-encryption', 'swarm-listen-address']).map((c) => c.meta.id)).toEqual([
      'swarm-listen-address',
      'overlay-encryption',
    ]);
  });

  it('rejects an unknown id with UsageError UnknownCheck listing the valid ones', () => {
    let caught: unknown;
    try {
      selectChecks(['swarm-listen-address', 'cis-7.9']);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const error = caught as UsageError;
    expect(error.code).toBe('UnknownCheck');
    expect(error.message).toContain('"cis-7.9"');
    for (const check of allChecks) expect(error.message).toContain(check.meta.id);
  });
});
