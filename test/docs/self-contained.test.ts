import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository stands alone: comments and docs cite its own files (docs/), never a file outside it. */
const ROOT = process.cwd();
const SCANNED = ['src', 'commands', 'packages', 'scripts', 'documents', 'test', 'docs', 'bin', 'README.md'];
const SKIP = new Set(['node_modules', 'dist', 'fixtures']);
const THIS_FILE = join('test', 'docs', 'self-contained.test.ts');

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => (SKIP.has(name) ? [] : filesUnder(join(path, name))));
}

const files = SCANNED.flatMap((p) => filesUnder(join(ROOT, p)))
  .filter((f) => /\.(ts|js|mjs|md|sh|json)$/.test(f))
  .filter((f) => relative(ROOT, f) !== THIS_FILE);

describe('the repository is self-contained', () => {
  it('cites no document outside the repository', () => {
    const outside = files.filter((f) => /domain\.md|architecture\.md|shared\/docs|\.\.\/shared\//.test(readFileSync(f, 'utf8')));
    expect(outside.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('every docs/ file it cites exists', () => {
    const cited = new Set(files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bdocs\/([a-z0-9-]+\.md)/g)].map((m) => m[1])));
    expect(cited.size).toBeGreaterThan(0);
    expect([...cited].filter((name) => !existsSync(join(ROOT, 'docs', name)))).toEqual([]);
  });
});
