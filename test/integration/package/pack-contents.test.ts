/**
 * What `npm pack` of the CLI ships (runs after `npm run build`, as `npm test` does): the CLI, its
 * compiled commands and library, the SSM documents and IAM examples; never the tests, the bench,
 * the demo or source maps that point at sources the package does not carry. Every relative import
 * of a shipped module must resolve inside the package, or the installed CLI fails at run time,
 * except the sandbox workspace's entry, which `sandbox` loads and turns into a usage error when absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The one import a shipped module makes outside the package: commands/handlers/load-sandbox.ts's workspace entry. */
const SANDBOX_LOAD = 'dist/commands/handlers/load-sandbox.js -> ../../packages/sandbox/src/index.js';

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

  it('carries neither private workspace (sandbox, bench) nor anything named after them', () => {
    // the `sandbox` command itself ships: it loads the workspace or says where to get it
    const sandboxCommand = new Set(['dist/commands/sandbox.js', 'dist/commands/handlers/sandbox.js', 'dist/commands/handlers/load-sandbox.js']);
    expect(files.filter((path) => /sandbox|bench|packages\//.test(path) && !sandboxCommand.has(path))).toEqual([]);
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
    expect(unresolved).toEqual([SANDBOX_LOAD]);
  });

  it('the packed CLI answers `sandbox` with exit 3 and how to get the sandbox from a clone', () => {
    const installed = mkdtempSync(join(tmpdir(), 'swarm-audit-packed-'));
    try {
      for (const path of files) cpSync(join(ROOT, path), join(installed, path), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
      const run = spawnSync(process.execPath, ['bin/swarm-audit.js', 'sandbox', 'status'], { cwd: installed, encoding: 'utf8' });
      expect(run.status).toBe(3);
      expect(run.stderr).toContain('the sandbox is not part of the published swarm-audit package');
      expect(run.stderr).toContain('npm ci && npm run build');
      expect(run.stdout).toBe('');
    } finally {
      rmSync(installed, { recursive: true, force: true });
    }
  });
});
