/**
 * Restarts one node's dockerd the way `sandbox up` started it (same
 * namespaces, cgroup, flags and data root, so the node keeps its swarm
 * identity), as `systemctl restart docker` would on a real host: SIGTERM,
 * wait for it and its containerd and shims to exit (SIGKILL after the
 * timeout), start again, wait until it answers. The new pid (with its start
 * time) goes to the ledger, so `sandbox down` stops it too.
 */
import { ToolError } from '../../../../src/errors.js';
import { NodeDocker } from './docker-client.js';
import { DOCKERD_STOP, startDockerd, stopDockerd, waitForDockerd } from './dockerd.js';
import { computeLayout } from './layout.js';
import { Ledger, readLedger, type LedgerEntry } from './ledger.js';
import { procTable, systemClock } from './proc-table.js';
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

export async function restartDockerd(opts: RestartDockerdOptions): Promise<{ stoppedPid: number; pid: number; killedHard: boolean }> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const layout = computeLayout(parseSandboxSpec(opts.spec), opts.dir);
  const node = layout.nodes.find((n) => n.node.name === opts.node);
  if (!node) throw new ToolError('SandboxNodeUnknown', `no node ${opts.node} in the sandbox at ${opts.dir}`);
  const recorded = ((await readLedger(layout.ledgerFile)) ?? []).filter(
    (e): e is Extract<LedgerEntry, { kind: 'pid' }> => e.kind === 'pid' && e.role === 'dockerd' && e.node === node.node.name,
  );
  const stopped = await stopDockerd(
    { node: node.node.name, cgroup: node.cgroup, match: node.dataRoot, recorded, pidFile: node.pidFile },
    { ...DOCKERD_STOP, graceMs: timeoutMs },
    { table: procTable, clock: systemClock },
  );
  // The daemon itself is the target identified by its data root; its helpers are identified by start time only.
  const daemons = [...stopped.exited, ...stopped.killed].filter((t) => t.match === node.dataRoot);
  if (daemons.length === 0) throw new ToolError('SandboxDockerdFailed', `dockerd of ${opts.node} is not running (pid file ${node.pidFile})`);
  if (stopped.survivors.length > 0) {
    throw new ToolError('SandboxDockerdFailed', `dockerd of ${opts.node} did not stop: ${stopped.survivors.map((t) => `${t.label} (pid ${t.pid})`).join(', ')} still running`);
  }
  const pid = await startDockerd(node, new Ledger(layout.ledgerFile));
  await waitForDockerd(new NodeDocker(node, layout.dockerClientConfigDir), pid, timeoutMs);
  return { stoppedPid: daemons[0].pid, pid, killedHard: stopped.killed.length > 0 };
}
