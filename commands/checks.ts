import type { CommandModule } from 'yargs';
import type { CliContext } from '../src/cli/context.js';
import { withHelp, type CommandHelp } from '../src/cli/help.js';

export interface ChecksArgs {
  output: 'table' | 'json';
}

const CHECKS_HELP: CommandHelp = {
  examples: [
    { run: '$0 checks', does: 'The checks: id, CIS reference, scope, severity, whether remediate fixes it, title' },
    { run: '$0 checks --output json', does: 'The same with descriptions, the facts each reads, its options and the probe sections behind them' },
  ],
};

export function checksCommand(ctx: CliContext): CommandModule<object, ChecksArgs> {
  return {
    command: 'checks',
    describe: 'List the checks: id, CIS reference, scope, severity, remediable',
    builder: (yargs) =>
      withHelp(
        yargs.option('output', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Format on stdout' }),
        CHECKS_HELP,
      ),
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/checks.js')).checksHandler(ctx, args),
  };
}
