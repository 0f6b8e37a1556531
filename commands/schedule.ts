import type { Argv, CommandModule } from 'yargs';
import type { CliContext } from '../src/cli/context.js';
import { withHelp, type CommandHelp } from '../src/cli/help.js';
import { withAwsOptions, type AwsArgs } from '../src/cli/options.js';
import type { ScheduleFlags } from '../src/schedule/schedule-request.js';

/** The schedule flags (src/schedule reads them) plus the common AWS ones. */
export interface ScheduleArgs extends AwsArgs, ScheduleFlags {}

const SCHEDULE_HELP: CommandHelp = {
  examples: [
    { run: "$0 schedule --tag Swarm=prod --rate 'rate(1 day)' --output-s3-bucket audit-outputs", does: 'Run the probe on the Swarm=prod instances once a day through State Manager, outputs to S3' },
    { run: '$0 schedule --tag Swarm=prod --dry-run', does: 'Print the association it would write; write nothing' },
    { run: '$0 schedule --tag Swarm=prod --delete', does: 'Remove the association' },
  ],
};

export function scheduleCommand(ctx: CliContext): CommandModule<object, ScheduleArgs> {
  return {
    command: 'schedule',
    describe: 'Create or update (by name) a State Manager association that runs the probe document on the tagged instances, outputs to S3; --delete removes it',
    builder: (yargs) =>
      withHelp(withAwsOptions(yargs)
        .option('tag', { type: 'string', array: true, default: [] as string[], describe: 'KEY=VALUE instance tag the association targets; repeat to AND keys; KEY=V1,V2 ORs values' })
        .option('tag-key', { type: 'string', array: true, default: [] as string[], describe: 'Target instances that carry this tag key' })
        .option('rate', { type: 'string', describe: "When it runs: 'rate(N minutes|hours|days)' (30 minutes at least) or 'cron(...)'" })
        .option('output-s3-bucket', { type: 'string', describe: 'Bucket the instances write the probe outputs to (their role needs s3:PutObject)' })
        .option('output-s3-prefix', { type: 'string', describe: 'Key prefix of the outputs (default swarm-audit/<name>)' })
        .option('name', { type: 'string', describe: 'Association name (default swarm-audit-<tag>-<value>, e.g. swarm-audit-Swarm-prod)' })
        .option('document-name', { type: 'string', default: 'swarm-audit-probe', describe: 'The probe SSM document (documents/swarm-audit-probe.json, created once per account and region)' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'Print the association it would write (JSON); write nothing' })
        .option('delete', { type: 'boolean', default: false, describe: 'Delete the association (absent: says so, exit 0)' })
        .group(['tag', 'tag-key', 'rate', 'output-s3-bucket', 'output-s3-prefix', 'name', 'document-name', 'dry-run', 'delete'], 'Schedule:') as unknown as Argv<ScheduleArgs>, SCHEDULE_HELP),
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/schedule.js')).scheduleHandler(ctx, args),
  };
}
