/**
 * The published package does not carry the sandbox workspace: loading it must
 * end in a usage error (exit 3) that says how to get it, and nothing else may be
 * mistaken for that. The loader is injected; the packed layout itself is run in
 * test/integration/package/pack-contents.test.ts.
 */
import { exitCodeForError, EXIT } from '../../../src/cli/exit-codes.js';
import { UsageError } from '../../../src/errors.js';
import { loadSandbox, SANDBOX_NOT_SHIPPED } from '../../../commands/handlers/load-sandbox.js';

/** The error Node's ESM loader throws for a missing file (code and message shape as Node 20 prints them). */
function moduleNotFound(path: string): Error {
  return Object.assign(new Error(`Cannot find module '/opt/lib/node_modules/swarm-audit/dist/${path}' imported from /opt/lib/node_modules/swarm-audit/dist/commands/handlers/load-sandbox.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

describe('loadSandbox', () => {
  it('turns the missing workspace entry into a usage error that says the sandbox ships only in a clone', async () => {
    const error = await loadSandbox(() => Promise.reject(moduleNotFound('packages/sandbox/src/index.js'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(exitCodeForError(error)).toBe(EXIT.usage);
    expect(EXIT.usage).toBe(3);
    expect((error as Error).message).toBe(SANDBOX_NOT_SHIPPED);
    expect(SANDBOX_NOT_SHIPPED).toContain('git clone');
    expect(SANDBOX_NOT_SHIPPED).toContain('npm ci && npm run build');
    expect(SANDBOX_NOT_SHIPPED).toContain('node bin/swarm-audit.js sandbox');
  });

  it('lets a module missing inside the sandbox propagate as it is (a broken clone, not a published install)', async () => {
    const inner = moduleNotFound('packages/sandbox/src/endpoint/server.js');
    await expect(loadSandbox(() => Promise.reject(inner))).rejects.toBe(inner);
  });

  it('lets any other load failure propagate', async () => {
    const syntax = new SyntaxError('Unexpected token');
    await expect(loadSandbox(() => Promise.reject(syntax))).rejects.toBe(syntax);
  });

  it('loads the workspace from a clone by default', async () => {
    const sandbox = await loadSandbox();
    expect(typeof sandbox.sandboxUp).toBe('function');
    expect(typeof sandbox.serveFleetFile).toBe('function');
  });
});
