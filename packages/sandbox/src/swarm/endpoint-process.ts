import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../../../../src/errors.js';
import { logTail } from './dockerd.js';
import type { SandboxLayout } from './layout.js';
import type { Ledger } from './ledger.js';
import { commandLineOf, isAlive } from './processes.js';

/**
 * Spawns the endpoint detached (`<command> --fleet F --port 0 --ready-file R`)
 * and waits for the ready file {url, pid} it writes once listening.
 * `command` is the program and its leading arguments, by default
 * `node bin/swarm-audit.js sandbox serve`.
 */
export async function startEndpointProcess(
  layout: SandboxLayout,
  ledger: Ledger,
  command: readonly string[],
  timeoutMs: number,
): Promise<{ url: string; pid: number }> {
  if (command.length === 0) throw new ToolError('SandboxEndpointFailed', 'empty endpoint command');
  const match = layout.endpointReadyFile;
  await ledger.record({ kind: 'process', role: 'endpoint', match });
  const log = await open(layout.endpointLogFile, 'a');
  let childPid: number;
  let exited = false;
  try {
    const child = spawn(command[0], [...command.slice(1), '--fleet', layout.fleetFile, '--port', '0', '--ready-file', layout.endpointReadyFile], {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: process.env,
    });
    childPid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', (e) => reject(new ToolError('SandboxEndpointFailed', `cannot start the endpoint (${command.join(' ')}): ${e.message}`)));
    });
    child.once('exit', () => (exited = true));
    child.unref();
  } finally {
    await log.close();
  }
  await ledger.record({ kind: 'pid', role: 'endpoint', pid: childPid, match });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await readReadyFile(layout.endpointReadyFile);
    if (ready) {
      if (ready.pid !== childPid && (await commandLineOf(ready.pid))?.includes(match)) {
        await ledger.record({ kind: 'pid', role: 'endpoint', pid: ready.pid, match });
      }
      return ready;
    }
    if (exited || !(await isAlive(childPid))) {
      throw new ToolError('SandboxEndpointFailed', `the endpoint exited before it was ready:\n${await logTail(layout.endpointLogFile)}`);
    }
    if (Date.now() >= deadline) {
      throw new ToolError('SandboxEndpointFailed', `the endpoint was not ready within ${timeoutMs} ms:\n${await logTail(layout.endpointLogFile)}`);
    }
    await sleep(100);
  }
}

/** The ready file is written atomically (tmp + rename), so a partial read means "not yet" only when absent. */
async function readReadyFile(path: string): Promise<{ url: string; pid: number } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: { url?: unknown; pid?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new ToolError('SandboxEndpointFailed', `${path} is not JSON: ${text.slice(0, 200)}`);
  }
  if (typeof parsed.url !== 'string' || !/^http:\/\/127\.\d+\.\d+\.\d+:\d+\/?$/.test(parsed.url) || !Number.isInteger(parsed.pid)) {
    throw new ToolError('SandboxEndpointFailed', `${path} must be {"url":"http://127.x.x.x:PORT","pid":N}, got ${text.slice(0, 200)}`);
  }
  return { url: parsed.url.replace(/\/$/, ''), pid: parsed.pid as number };
}
