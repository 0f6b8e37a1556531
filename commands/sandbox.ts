import type { Argv, CommandModule } from 'yargs';
import type { CliContext } from '../src/cli/context.js';
import { withHelp, type CommandHelp } from '../src/cli/help.js';
import { LOG_LEVELS, type LogLevel } from '../src/util/log-levels.js';

export interface SandboxArgs {
  dir?: string;
  spec?: string;
  fleet?: string;
  port?: number;
  readyFile?: string;
  logLevel: LogLevel;
}

const SANDBOX_HELP: CommandHelp = {
  examples: [
    { run: '$0 sandbox up', does: 'Start the default sandbox (Linux, root): a real Swarm in network namespaces and the local AWS endpoint' },
    { run: '$0 sandbox serve --fleet fleet.json --port 4566', does: 'Serve only the endpoint for a fleet file on 127.0.0.1:4566' },
    { run: '$0 sandbox down', does: 'Stop everything sandbox up started' },
  ],
};

export function sandboxCommand(ctx: CliContext): CommandModule<object, SandboxArgs> {
  return {
    command: 'sandbox <action>',
    describe: 'Local AWS-compatible endpoint and a real multi-node Swarm to rehearse on (Linux, root)',
    builder: (yargs) =>
      withHelp(yargs
        .positional('action', { choices: ['up', 'down', 'status', 'serve'] as const, describe: 'What to do' })
        .option('dir', { type: 'string', describe: 'State directory (default /tmp/swarm-audit-sandbox)' })
        .option('spec', { type: 'string', describe: 'Sandbox spec file (default: the built-in one)' })
        .option('fleet', { type: 'string', describe: 'serve: fleet file to serve' })
        .option('port', { type: 'number', default: 0, describe: 'serve: port on 127.0.0.1 (0 picks one)' })
        .option('ready-file', { type: 'string', describe: 'serve: write {url,pid} here once listening' })
        .option('log-level', { choices: LOG_LEVELS, default: 'info' }) as unknown as Argv<SandboxArgs>, SANDBOX_HELP),
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/sandbox.js')).sandboxHandler(ctx, args),
  };
}
