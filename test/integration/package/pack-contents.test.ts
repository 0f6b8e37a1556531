/**
 * What `npm pack` of the CLI ships (runs after `npm run build`, as `npm test` does): the CLI, its
 * compiled commands and library, the SSM documents and IAM examples; never the tests, the bench,
 * the demo or source maps that point at sources the package does not carry. Every relative import
 * of a shipped module must resolve inside the package, or the installed CLI fails at run time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  const [pack] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((file) => file.path).sort();
}

/** Relative specifiers of static and dynamic imports in a compiled module. */
function relativeImports(source: string): string[] {
  const found = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g);
  return [...found].map((match) => match[1]);
}

describe('npm pack of the CLI', () => {
  const files = packedFiles();

  it('carries the CLI, its commands, library and documents', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/swarm-audit.js',
        'package.json',
        'README.md',
        'dist/src/cli/main.js',
        'dist/commands/audit.js',
        'dist/commands/handlers/audit.js',
        'documents/swarm-audit-probe.json',
        'documents/report.schema.json',
      ]),
    );
  });

  it('carries no tests, bench, demo or source maps', () => {
    const refused = files.filter(
      (path) => /^(test|scripts|dist\/scripts|dist\/test)\//.test(path) || path.endsWith('.map') || path.endsWith('.ts'),
    );
    expect(refused).toEqual([]);
  });

  it('every relative import of a shipped module resolves inside the package', () => {
    const shipped = new Set(files);
    const unresolved: string[] = [];
    for (const path of files.filter((file) => file.endsWith('.js'))) {
      for (const specifier of relativeImports(readFileSync(join(ROOT, path), 'utf8'))) {
        const target = normalize(join(dirname(path), specifier));
        if (!shipped.has(target)) unresolved.push(`${path} -> ${specifier}`);
      }
    }
    expect(unresolved).toEqual([]);
  });
});
