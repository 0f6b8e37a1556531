import { run, runOk, type RunOptions, type RunResult } from './exec.js';
import type { NodeLayout } from './layout.js';

export const DOCKER_CLIENT = '/usr/bin/docker';

/**
 * The Debian 20.10 docker client bound to one node's socket. DOCKER_CONFIG
 * points into the sandbox dir so the operator's ~/.docker is never read or written.
 */
export class NodeDocker {
  constructor(
    readonly node: NodeLayout,
    private readonly configDir: string,
  ) {}

  run(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(DOCKER_CLIENT, ['-H', `unix://${this.node.socket}`, ...args], this.withEnv(opts));
  }

  ok(args: readonly string[], opts: RunOptions = {}): Promise<string> {
    return runOk(DOCKER_CLIENT, ['-H', `unix://${this.node.socket}`, ...args], this.withEnv(opts));
  }

  private withEnv(opts: RunOptions): RunOptions {
    return { timeoutMs: 60_000, ...opts, env: { DOCKER_CONFIG: this.configDir, ...opts.env } };
  }
}
