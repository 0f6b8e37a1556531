import type { Argv, CommandModule } from 'yargs';
import type { CliContext } from '../src/cli/context.js';
import { withAwsOptions, type AwsArgs } from '../src/cli/options.js';

export interface BackoutArgs extends AwsArgs {
  journal: string;
  apply: boolean;
}

export function backoutCommand(ctx: CliContext): CommandModule<object, BackoutArgs> {
  return {
    command: 'backout',
    describe: 'Undo what a remediation journal recorded (dry run by default)',
    builder: (yargs) =>
      withAwsOptions(yargs as Argv<object>)
        .option('journal', { type: 'string', demandOption: true, describe: 'Journal written by remediate --apply' })
        .option('apply', { type: 'boolean', default: false, describe: 'Run the undo steps' }) as unknown as Argv<BackoutArgs>,
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/backout.js')).backoutHandler(ctx, args),
  };
}
