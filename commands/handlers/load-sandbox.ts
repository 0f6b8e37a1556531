/**
 * The sandbox is a private workspace (packages/sandbox): compiled next to the CLI
 * in a clone, absent from the published package. Loading it is the one place the
 * product reaches into it, so a published install gets a usage error that says
 * where the sandbox lives instead of a stack trace.
 */
import type * as SandboxWorkspace from '../../packages/sandbox/src/index.js';
import { UsageError } from '../../src/errors.js';

type SandboxModule = typeof SandboxWorkspace;
export type SandboxLoader = () => Promise<SandboxModule>;

const ENTRY = 'packages/sandbox/src/index.js';

export const SANDBOX_NOT_SHIPPED =
  'the sandbox is not part of the published swarm-audit package; it ships only in a clone of the repository: ' +
  '`git clone <swarm-audit repository> && cd swarm-audit && npm ci && npm run build`, ' +
  'then run `node bin/swarm-audit.js sandbox ...` from that clone';

const loadWorkspace: SandboxLoader = () => import('../../packages/sandbox/src/index.js');

/** Only the entry itself missing means "not shipped"; a module missing inside the sandbox is a real fault and propagates. */
function entryMissing(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(ENTRY);
}

export async function loadSandbox(load: SandboxLoader = loadWorkspace): Promise<SandboxModule> {
  try {
    return await load();
  } catch (error) {
    if (entryMissing(error)) throw new UsageError(SANDBOX_NOT_SHIPPED, 'SandboxNotShipped', { cause: error });
    throw error;
  }
}
