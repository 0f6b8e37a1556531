/** What `swarm-audit sandbox` does; loaded by commands/sandbox.ts only when the command runs. */
import type { CliContext } from '../../src/cli/context.js';
import { UsageError } from '../../src/errors.js';
import { createLogger } from '../../src/util/logger.js';
import type { SandboxArgs } from '../sandbox.js';
import { loadSandbox } from './load-sandbox.js';

export async function sandboxHandler(ctx: CliContext, args: SandboxArgs): Promise<void> {
  const action = (args as unknown as { action: string }).action;
  const { serveFleetFile, sandboxDown, sandboxStatus, sandboxUp } = await loadSandbox();
  const logger = createLogger(args.logLevel);
  if (action === 'serve') {
    if (!args.fleet) throw new UsageError('sandbox serve needs --fleet FILE');
    await serveFleetFile({ fleetPath: args.fleet, port: args.port, readyFile: args.readyFile });
    return;
  }
  if (action === 'up') {
    const state = await sandboxUp({ spec: args.spec, dir: args.dir, logger });
    ctx.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
    ctx.stderr.write(`sandbox up in ${(state.timings.totalMs / 1000).toFixed(1)} s; env file: ${state.envFile}\n`);
    return;
  }
  if (action === 'down') {
    await sandboxDown({ dir: args.dir, logger });
    return;
  }
  ctx.stdout.write(`${JSON.stringify(await sandboxStatus({ dir: args.dir }), null, 2)}\n`);
}
