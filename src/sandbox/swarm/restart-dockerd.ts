/**
 * Restarts one node's dockerd the way `sandbox up` started it (same
 * namespaces, cgroup, flags and data root, so the node keeps its swarm
 * identity), as `systemctl restart docker` would on a real host: SIGTERM,
 * wait for the exit, start again, wait until it answers. The new pid goes to
 * the ledger first, so `sandbox down` still finds it.
 */
import { readFile } from 'node:fs/promises';
import { ToolError } from '../../errors.js';
import { NodeDocker } from './docker-client.js';
import { startDockerd, waitForDockerd } from './dockerd.js';
import { computeLayout } from './layout.js';
import { Ledger } from './ledger.js';
import { signalIfOurs, waitForExit } from './processes.js';
import { parseSandboxSpec } from './spec.js';
import type { SandboxSpec } from './spec-types.js';

export interface RestartDockerdOptions {
  /** The spec and dir the sandbox was built from. */
  spec: SandboxSpec;
  dir: string;
  node: string;
  /** For the old daemon to exit and for the new one to answer, each. Default 30 s. */
  timeoutMs?: number;
}

export async function restartDockerd(opts: RestartDockerdOptions): Promise<{ stoppedPid: number; pid: number }> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const layout = computeLayout(parseSandboxSpec(opts.spec), opts.dir);
  const node = layout.nodes.find((n) => n.node.name === opts.node);
  if (!node) throw new ToolError('SandboxNodeUnknown', `no node ${opts.node} in the sandbox at ${opts.dir}`);
  const stoppedPid = Number((await readFile(node.pidFile, 'utf8')).trim());
  // The data root is in dockerd's command line: never signal a reused pid.
  if (!Number.isInteger(stoppedPid) || !(await signalIfOurs(stoppedPid, node.dataRoot, 'SIGTERM'))) {
    throw new ToolError('SandboxDockerdFailed', `dockerd of ${opts.node} is not running (pid file ${node.pidFile})`);
  }
  if ((await waitForExit([stoppedPid], timeoutMs)).length > 0) {
    await signalIfOurs(stoppedPid, node.dataRoot, 'SIGKILL');
    await waitForExit([stoppedPid], 5_000);
  }
  const pid = await startDockerd(node, new Ledger(layout.ledgerFile));
  await waitForDockerd(new NodeDocker(node, layout.dockerClientConfigDir), pid, timeoutMs);
  return { stoppedPid, pid };
}
