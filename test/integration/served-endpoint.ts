/**
 * The sandbox endpoint alone (`swarm-audit sandbox serve --fleet F`) as a
 * child process of a test, for suites whose instances run commands in the
 * host namespace and need no dockerd.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetFile } from '../../packages/sandbox/src/fleet-file-types.js';
import { REPO } from './cli-runner.js';

export interface ServedEndpoint {
  url: string;
  /** A fresh temporary folder holding the fleet file; removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

/** Polls `probe` every 100 ms until it gives a value (a rejection counts as not yet). */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function serveFleet(fleet: FleetFile, dirPrefix: string): Promise<ServedEndpoint> {
  if (!existsSync(`${REPO}/dist/src/cli/main.js`)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const dir = await mkdtemp(join(tmpdir(), dirPrefix));
  await writeFile(join(dir, 'fleet.json'), JSON.stringify(fleet));
  const readyFile = join(dir, 'ready.json');
  const endpoint: ChildProcess = spawn(
    process.execPath,
    [`${REPO}/bin/swarm-audit.js`, 'sandbox', 'serve', '--fleet', join(dir, 'fleet.json'), '--ready-file', readyFile, '--log-level', 'warn'],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const stop = async () => {
    if (endpoint.pid !== undefined && endpoint.exitCode === null) {
      const exited = new Promise((resolve) => endpoint.once('exit', resolve));
      endpoint.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const { url } = await waitFor(async () => JSON.parse(await readFile(readyFile, 'utf8')) as { url: string });
    return { url, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
