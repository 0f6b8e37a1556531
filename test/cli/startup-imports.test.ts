/**
 * What `swarm-audit --help` and `--version` load: the static import graph of
 * src/cli/main.ts (type-only imports and `await import()` left out, as Node
 * leaves them out). The heavy packages load only when a command runs
 * (commands/handlers/README.md); `npm run bench` prints the startup time.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STATIC_IMPORT = /^(?:import|export)\s+(?!type\b)(?:[\s\S]*?\s+from\s+)?'([^']+)';/gm;

/** Every package the module at `entry` loads before its code runs, and the file that imports it. */
function staticPackages(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:') && !packages.has(specifier)) packages.set(specifier, file.slice(REPO.length + 1));
    }
  };
  visit(resolve(REPO, entry));
  return packages;
}

test('--help and --version load no AWS SDK, logger, proxy agent or JSON Schema validator', () => {
  const heavy = [...staticPackages('src/cli/main.ts')].filter(([name]) => /^(@aws-sdk|@smithy|pino|ajv|https?-proxy-agent)/.test(name));
  expect(heavy).toEqual([]);
});

test('the graph is followed: main.ts loads yargs, and a command handler the SDK', () => {
  expect(staticPackages('src/cli/main.ts').has('yargs')).toBe(true);
  expect([...staticPackages('commands/handlers/audit.ts').keys()].some((name) => name.startsWith('@aws-sdk/'))).toBe(true);
});
