import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../errors.js';
import type { ToolInfo } from './context.js';

const NAME = 'swarm-audit';
/** The controls the checks implement (CIS Docker Benchmark, section 7: Docker Swarm configuration). */
const INFORMATION_URI = 'https://www.cisecurity.org/benchmark/docker';

let cached: ToolInfo | undefined;

/** swarm-audit and the version in its package.json (found upwards from this file, so src/ and dist/src/ alike). */
export function swarmAuditTool(): ToolInfo {
  cached ??= { name: NAME, version: packageVersion(), informationUri: INFORMATION_URI };
  return cached;
}

function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = readPackage(join(dir, 'package.json'));
    if (pkg?.name === NAME && typeof pkg.version === 'string') return pkg.version;
    const parent = dirname(dir);
    if (parent === dir) throw new ToolError('PackageVersionNotFound', `cannot find the ${NAME} package.json`);
    dir = parent;
  }
}

function readPackage(path: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}
