import type { Argv, CommandModule } from 'yargs';
import type { CliContext } from '../src/cli/context.js';
import { withHelp, type CommandHelp } from '../src/cli/help.js';
import { withAwsOptions, type AwsArgs } from '../src/cli/options.js';

export interface BackoutArgs extends AwsArgs {
  journal: string;
  apply: boolean;
}

const BACKOUT_HELP: CommandHelp = {
  examples: [
    { run: '$0 backout --journal j.jsonl', does: 'Print exactly the undo scripts backout would run (dry run)' },
    { run: '$0 backout --journal j.jsonl --apply', does: 'Undo what the journal recorded, also after a CLI killed mid-apply' },
  ],
  exitNotes: ['backout: 1 when an undo step failed'],
};

export function backoutCommand(ctx: CliContext): CommandModule<object, BackoutArgs> {
  return {
    command: 'backout',
    describe: 'Undo what a remediation journal recorded (dry run by default)',
    builder: (yargs) =>
      withHelp(withAwsOptions(yargs)
        .option('journal', { type: 'string', demandOption: true, describe: 'Journal written by remediate --apply' })
        .option('apply', { type: 'boolean', default: false, describe: 'Run the undo steps' }) as unknown as Argv<BackoutArgs>, BACKOUT_HELP),
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/backout.js')).backoutHandler(ctx, args),
  };
}
