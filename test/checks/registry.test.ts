import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { allChecks, checkRegistry, createRegistry } from '../../src/checks/registry.js';

const selectChecks = (ids: string[] | undefined) => checkRegistry.select(ids);
import type { Check } from '../../src/checks/types.js';
import { UsageError } from '../../src/errors.js';
import { documentationProblems } from './docs-check.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHECKS_DIR = join(ROOT, 'src', 'checks');

/** Every folder of src/checks is a check. */
const checkFolders = readdirSync(CHECKS_DIR).filter((entry) => statSync(join(CHECKS_DIR, entry)).isDirectory());

describe('check registry', () => {
  it('finds the shipped checks (a new folder needs no change here: the tests below hold it to its registry line and docs)', () => {
    expect(checkFolders).toEqual(expect.arrayContaining(['overlay-encryption', 'swarm-listen-address', 'swarm-published-ports']));
    expect(checkFolders.sort()).toEqual(allChecks.map((c) => c.meta.id).sort());
  });

  it.each(checkFolders)('%s has a registry line and passes the documentation check', (folder) => {
    const check = allChecks.find((c) => c.meta.id === folder);
    expect(check?.meta.id).toBe(folder);
    expect(documentationProblems(check!, join(CHECKS_DIR, folder), join(ROOT, 'test', 'checks', `${folder}.test.ts`))).toEqual([]);
  });

  it('the documentation check names what is missing', () => {
    const ports = allChecks.find((c) => c.meta.id === 'swarm-published-ports')!;
    const renamed = { ...ports, meta: { ...ports.meta, reads: ['services', 'nodes'] } } as Check;
    expect(documentationProblems(renamed, join(CHECKS_DIR, 'swarm-published-ports'), join(ROOT, 'test', 'checks', 'nope.test.ts'))).toEqual([
      `swarm-published-ports: no test file ${join(ROOT, 'test', 'checks', 'nope.test.ts')}`,
      'swarm-published-ports: README.md "Reads:" does not name `nodes`',
    ]);
    expect(documentationProblems(ports, join(CHECKS_DIR, 'overlay-encryption'), join(ROOT, 'test', 'checks', 'swarm-published-ports.test.ts'))).toEqual([
      'swarm-published-ports: README.md does not start with "# swarm-published-ports"',
      'swarm-published-ports: README.md "Reads:" does not name `services`',
      'swarm-published-ports: README.md does not document its option `allowServices`',
      'swarm-published-ports: README.md does not document its option `allowPorts`',
      'swarm-published-ports: README.md says "Remediable: yes (migration to a new encrypted network; ingress only by recreation)." but the remediation registry says on-request',
    ]);
  });

  it('createRegistry refuses an id registered twice', () => {
    expect(() => createRegistry([...allChecks, allChecks[0]])).toThrow('check swarm-listen-address is registered twice');
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
