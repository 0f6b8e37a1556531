import type { Argv, CommandModule } from 'yargs';
import { awsContext } from '../src/cli/aws-context.js';
import type { CliContext } from '../src/cli/context.js';
import { withAwsOptions, type AwsArgs } from '../src/cli/options.js';
import { backoutJournal, renderBackout, ssmRemoteShell } from '../src/remediation/index.js';

interface BackoutArgs extends AwsArgs {
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
    handler: async (args) => {
      const aws = awsContext(args);
      const result = await backoutJournal(
        { shell: ssmRemoteShell({ ssm: aws.ssm, logger: aws.logger }), logger: aws.logger },
        { journalPath: args.journal, apply: args.apply },
      );
      ctx.stdout.write(renderBackout(result));
      ctx.exitCode = result.status === 'failed' ? 1 : 0;
    },
  };
}
