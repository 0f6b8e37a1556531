/**
 * A RemoteShell that runs scripts directly in a sandbox node's network
 * namespace with the fleet file's exec.env — for tests and rehearsal without
 * the SSM endpoint. Production and the final integration tests go through SSM.
 */
import { spawn } from 'node:child_process';
import type { CommandOutcome } from '../fleet/outcome.js';
import type { FleetFile } from '../sandbox/fleet-file-types.js';
import { UsageError } from '../errors.js';
import { DEFAULT_STEP_TIMEOUT_MS, notRun, type RemoteShell } from './remote-shell.js';

export function localNetnsShell(fleet: FleetFile): RemoteShell {
  const byId = new Map(fleet.instances.map((i) => [i.instanceId, i]));
  return {
    run(instanceId, script, opts) {
      const instance = byId.get(instanceId);
      if (!instance?.exec) return Promise.resolve(notRun(instanceId, 'no such instance or it cannot run commands'));
      const netns = instance.exec.netns;
      if (netns !== undefined && !/^[a-zA-Z0-9_.-]+$/.test(netns)) throw new UsageError(`bad netns name ${JSON.stringify(netns)}`, 'UnsafeValue');
      const argv = netns ? ['nsenter', `--net=/var/run/netns/${netns}`, 'sh', '-c', script] : ['sh', '-c', script];
      return runLocal(instanceId, argv, { ...process.env, ...instance.exec.env }, opts?.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS);
    },
  };
}

function runLocal(instanceId: string, argv: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve(notRun(instanceId, err.message));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const timedOut = signal === 'SIGKILL';
      resolve({
        instanceId,
        status: timedOut ? 'TimedOut' : code === 0 ? 'Success' : 'Failed',
        responseCode: code ?? (timedOut ? 137 : -1),
        stdout,
        stderr,
        stdoutComplete: true,
        error: timedOut ? `timed out after ${timeoutMs} ms` : undefined,
      });
    });
  });
}
