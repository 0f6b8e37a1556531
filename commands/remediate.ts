import type { Argv, CommandModule } from 'yargs';
import type { CliContext } from '../src/cli/context.js';
import { withHelp, type CommandHelp } from '../src/cli/help.js';
import { withTargetOptions } from '../src/cli/options.js';
import { withAuditScopeOptions, type AuditScopeArgs } from './audit.js';

export interface RemediateArgs extends AuditScopeArgs {
  apply: boolean;
  planFile?: string;
  yes: boolean;
  journal?: string;
  force: boolean;
  rollback: boolean;
  keepName: boolean;
  includeIngress: boolean;
  unpublish: string[];
  hostMode: string[];
}

const REMEDIATE_HELP: CommandHelp = {
  examples: [
    { run: '$0 remediate --tag Swarm=prod --plan-file plan.json', does: 'Dry run: print the plan and save it for review (nothing changes)' },
    { run: '$0 remediate --tag Swarm=prod --include-ingress --unpublish web:8080', does: 'Also plan the ingress recreate (downtime) and unpublishing web\'s port 8080' },
    { run: '$0 remediate --apply --plan-file plan.json --journal j.jsonl', does: 'Apply the reviewed plan, every change journaled for backout' },
  ],
  exitNotes: ['remediate --apply: 1 when a step failed (its cluster rolled back unless --no-rollback)'],
};

export function remediateCommand(ctx: CliContext): CommandModule<object, RemediateArgs> {
  return {
    command: 'remediate',
    describe: 'Plan (dry run, default) or --apply fixes through SSM, journaled for backout',
    builder: (yargs) =>
      withHelp(withAuditScopeOptions(withTargetOptions(yargs))
        .option('apply', { type: 'boolean', default: false, describe: 'Execute the plan (default: print it)' })
        .option('plan-file', { type: 'string', describe: 'Save the plan here (dry run) or apply this saved plan' })
        .option('yes', { type: 'boolean', default: false, describe: 'Do not ask for confirmation (required off a TTY)' })
        .option('journal', { type: 'string', describe: 'Journal file for backout (default swarm-audit-journal-<time>.jsonl)' })
        .option('force', { type: 'boolean', default: false, describe: 'Proceed although IPsec evidence says encryption may blackhole traffic' })
        .option('rollback', { type: 'boolean', default: true, describe: 'Roll a cluster back at its first failed step (--no-rollback)' })
        .option('keep-name', { type: 'boolean', default: false, describe: 'Move migrated networks back to their original names' })
        .option('include-ingress', { type: 'boolean', default: false, describe: 'Plan the ingress recreate (downtime)' })
        .option('unpublish', { type: 'string', array: true, default: [] as string[], describe: 'SERVICE:PORT to stop publishing' })
        .option('host-mode', { type: 'string', array: true, default: [] as string[], describe: 'Switch this service to host-mode ports' }) as unknown as Argv<RemediateArgs>, REMEDIATE_HELP),
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/remediate.js')).remediateHandler(ctx, args),
  };
}
