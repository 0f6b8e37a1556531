import type { Argv, CommandModule } from 'yargs';
import { serveFleetFile } from '../src/sandbox/endpoint/serve.js';
import { sandboxDown, sandboxStatus, sandboxUp } from '../src/sandbox/swarm/index.js';
import type { CliContext } from '../src/cli/context.js';
import { UsageError } from '../src/errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../src/util/logger.js';

interface SandboxArgs {
  dir?: string;
  spec?: string;
  fleet?: string;
  port?: number;
  readyFile?: string;
  logLevel: LogLevel;
}

export function sandboxCommand(ctx: CliContext): CommandModule<object, SandboxArgs> {
  return {
    command: 'sandbox <action>',
    describe: 'Local AWS-compatible endpoint and a real multi-node Swarm to rehearse on (Linux, root)',
    builder: (yargs) =>
      (yargs as Argv<object>)
        .positional('action', { choices: ['up', 'down', 'status', 'serve'] as const, describe: 'What to do' })
        .option('dir', { type: 'string', describe: 'State directory (default /tmp/swarm-audit-sandbox)' })
        .option('spec', { type: 'string', describe: 'Sandbox spec file (default: the built-in one)' })
        .option('fleet', { type: 'string', describe: 'serve: fleet file to serve' })
        .option('port', { type: 'number', default: 0, describe: 'serve: port on 127.0.0.1 (0 picks one)' })
        .option('ready-file', { type: 'string', describe: 'serve: write {url,pid} here once listening' })
        .option('log-level', { choices: LOG_LEVELS, default: 'info' as LogLevel }) as unknown as Argv<SandboxArgs>,
    handler: async (args) => {
      const action = (args as unknown as { action: string }).action;
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
    },
  };
}
