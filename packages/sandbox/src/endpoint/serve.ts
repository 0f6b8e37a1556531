/**
 * `swarm-audit sandbox serve --fleet FILE [--port N] [--ready-file F]`: runs
 * the endpoint in the foreground until SIGTERM/SIGINT. The sandbox builder
 * spawns it detached and waits for the ready file ({"url","pid"}, written
 * atomically once listening).
 */
import { rename, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { loadFleetFile } from '../fleet-file.js';
import { startEndpoint } from './server.js';

export interface ServeOptions {
  fleetPath: string;
  port?: number;
  readyFile?: string;
  logger?: Logger;
  /** Where the URL line goes; process.stdout by default. */
  stdout?: NodeJS.WritableStream;
}

/** Resolves once a termination signal has closed the endpoint. */
export async function serveFleetFile(opts: ServeOptions): Promise<void> {
  const fleet = await loadFleetFile(opts.fleetPath);
  const endpoint = await startEndpoint({ fleet, port: opts.port, logger: opts.logger });
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      opts.logger?.info({ signal }, 'sandbox endpoint stopping');
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void endpoint.close().then(resolve, resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  (opts.stdout ?? process.stdout).write(`${endpoint.url}\n`);
  if (opts.readyFile) await writeReadyFile(opts.readyFile, { url: endpoint.url, pid: process.pid });
  await stopped;
}

async function writeReadyFile(path: string, content: { url: string; pid: number }): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(content)}\n`, { mode: 0o644 });
  await rename(tmp, path);
}
