import type { Argv, CommandModule } from 'yargs';
import { REPORT_FORMATS as reportFormats } from '../src/report/format-names.js';
import type { CliContext } from '../src/cli/context.js';
import { withHelp, type CommandHelp } from '../src/cli/help.js';
import { withTargetOptions, type TargetArgs } from '../src/cli/options.js';
import { splitCommas } from './audit.js';

export interface CollectArgs extends TargetArgs {
  output: string;
  outputFile?: string;
  association?: string;
  bucket?: string;
  prefix?: string;
  report?: string[];
  failOn: 'fail' | 'warn';
  checks?: string[];
  config?: string;
  allowPublishedService: string[];
  allowPublishedPort: string[];
  concurrency: number;
  color: boolean;
}

const COLLECT_HELP: CommandHelp = {
  examples: [
    { run: '$0 collect --tag Swarm=prod', does: "The audit's table from the latest scheduled run's outputs in S3; sends no command" },
    { run: '$0 collect --tag Swarm=prod --report sarif=swarm-audit.sarif --report junit=swarm-audit.xml', does: 'The same reports as audit --report, from the scheduled run' },
  ],
};

export function collectCommand(ctx: CliContext): CommandModule<object, CollectArgs> {
  return {
    command: 'collect',
    describe: "Build the audit report from the latest State Manager run of the schedule's association (outputs in S3); sends no command",
    builder: (yargs) =>
      // the target flags, not the discovery ones: one association lives in one account and region
      withHelp(withTargetOptions(yargs)
        .option('output', { choices: ['table', ...reportFormats.filter((f) => f !== 'table')], default: 'table', describe: 'Report format on stdout' })
        .option('output-file', { type: 'string', describe: 'Also write the report to this file' })
        .option('association', { type: 'string', describe: 'Association name (default: the one schedule derives from --tag / --tag-key)' })
        .option('bucket', { type: 'string', describe: "Read the outputs from this bucket instead of the association's output location" })
        .option('prefix', { type: 'string', describe: 'Key prefix of the outputs in --bucket (default: the association\'s, else swarm-audit/<name>)' })
        .option('report', { type: 'string', array: true, describe: `FORMAT=PATH: also write this report (repeatable; PATH - is stdout). Formats: ${reportFormats.join(', ')}` })
        .option('fail-on', { choices: ['fail', 'warn'] as const, default: 'fail' as const, describe: 'Exit 1 on FAIL, or on WARN too' })
        .option('checks', { type: 'string', array: true, coerce: splitCommas, describe: 'Only these check ids (comma-separated)' })
        .option('config', { type: 'string', describe: 'Audit configuration file (JSON), as for audit' })
        .option('allow-published-service', { type: 'string', array: true, default: [] as string[], describe: 'Service whose published ports are accepted' })
        .option('allow-published-port', { type: 'string', array: true, default: [] as string[], describe: 'Published port accepted anywhere (8080 or 8080/tcp)' })
        .option('concurrency', { type: 'number', default: 10, describe: 'S3 reads in flight at once' })
        .option('color', { type: 'boolean', default: true, describe: 'Colour the table on a terminal; --no-color (or NO_COLOR) turns it off' })
        .group(['association', 'bucket', 'prefix'], 'Collect:')
        .group(['output', 'output-file', 'report', 'fail-on', 'checks', 'config', 'allow-published-service', 'allow-published-port', 'concurrency', 'color'], 'Audit:') as unknown as Argv<CollectArgs>, COLLECT_HELP),
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/collect.js')).collectHandler(ctx, args),
  };
}
