import { access } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../../../../src/errors.js';

/** Where the default spec's sandbox lives: vfs storage is large, so never inside the repository. */
export const DEFAULT_SANDBOX_DIR = '/tmp/swarm-audit-sandbox';
const DEFAULT_SPEC_PREFIX = 'swa';
const BUILTIN_SPECS = ['default', 'minimal'] as const;

/** The default spec keeps the documented dir; other prefixes get their own so sandboxes never share one. */
export function defaultSandboxDir(prefix: string): string {
  return prefix === DEFAULT_SPEC_PREFIX ? DEFAULT_SANDBOX_DIR : `${DEFAULT_SANDBOX_DIR}-${prefix}`;
}

/**
 * The repository root (the directory whose package.json names swarm-audit), from
 * packages/sandbox/src/ or dist/packages/sandbox/src/ alike: the sandbox runs only
 * from a clone, where bin/ and this workspace sit under that root.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'swarm-audit') return dir;
    } catch {
      // not here: keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) throw new ToolError('PackageRootNotFound', 'cannot find the swarm-audit package root');
    dir = parent;
  }
}

/** "default" / "minimal" name the shipped specs; anything else is a path. */
export async function resolveSpecPath(nameOrPath: string): Promise<string> {
  if ((BUILTIN_SPECS as readonly string[]).includes(nameOrPath)) {
    // tsc does not copy JSON into dist/, so dist and source both read the workspace's own specs
    const path = join(packageRoot(), 'packages', 'sandbox', 'src', 'specs', `${nameOrPath}.json`);
    await access(path);
    return path;
  }
  return resolve(nameOrPath);
}

export function defaultEndpointCommand(): string[] {
  return [process.execPath, join(packageRoot(), 'bin', 'swarm-audit.js'), 'sandbox', 'serve'];
}
