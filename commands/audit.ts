import type { Argv, CommandModule } from 'yargs';
import { COMPLIANCE_TYPE } from '../src/audit/compliance-items.js';
import { REPORT_FORMATS as reportFormats } from '../src/report/format-names.js';
import type { Status } from '../src/checks/types.js';
import { STATUSES } from '../src/engine/summary.js';
import { UsageError } from '../src/errors.js';
import type { CliContext } from '../src/cli/context.js';
import { withHelp, type CommandHelp } from '../src/cli/help.js';
import { withDiscoveryOptions, withRunnerOptions, type DiscoveryArgs, type TargetArgs } from '../src/cli/options.js';

/** What to audit and how: shared by audit and remediate (which audits first). */
export interface AuditScopeArgs extends TargetArgs {
  checks?: string[];
  concurrency: number;
  timeout: number;
  deliveryTimeout: number;
  documentName?: string;
  outputS3Bucket?: string;
  config?: string;
  allowPublishedService: string[];
  allowPublishedPort: string[];
}

interface AuditArgs extends AuditScopeArgs, DiscoveryArgs {
  failOn: 'fail' | 'warn';
  accountId?: string;
}

export interface AuditCommandArgs extends AuditArgs {
  status?: Status[];
  report?: string[];
  publishCompliance: boolean;
  securityHub: boolean;
  color: boolean;
}

export function withAuditScopeOptions<T, U extends TargetArgs>(yargs: Argv<T & U>): Argv<T & U & AuditScopeArgs> {
  return withRunnerOptions(yargs)
    .option('checks', { type: 'string', array: true, coerce: splitCommas, describe: 'Only these check ids (comma-separated)' })
    .option('config', { type: 'string', describe: 'Audit configuration file (JSON): options per check id, {"checks":{"<id>":{...}}} (swarm-audit checks --output json lists each check\'s options)' })
    .option('allow-published-service', { type: 'string', array: true, default: [] as string[], describe: 'Service whose published ports are accepted (swarm-published-ports allowServices)' })
    .option('allow-published-port', { type: 'string', array: true, default: [] as string[], describe: 'Published port accepted anywhere, 8080 or 8080/tcp (swarm-published-ports allowPorts)' })
    .group(['checks', 'config', 'allow-published-service', 'allow-published-port'], 'Audit:') as unknown as Argv<T & U & AuditScopeArgs>;
}

function withAuditOptions<T>(yargs: Argv<T>): Argv<T & AuditArgs> {
  return withAuditScopeOptions(withDiscoveryOptions(yargs, ['table', ...reportFormats.filter((f) => f !== 'table')]))
    .option('fail-on', { choices: ['fail', 'warn'] as const, default: 'fail' as const, describe: 'Exit 1 on FAIL, or on WARN too' })
    .option('account-id', { type: 'string', describe: 'AWS account of the findings (ASFF, Security Hub); default: the credentials\' account (STS GetCallerIdentity)' })
    .group(['fail-on', 'account-id'], 'Audit:') as unknown as Argv<T & AuditArgs>;
}

function statusList(values: string[] | undefined): Status[] | undefined {
  const named = splitCommas(values);
  const unknown = named?.filter((s) => !(STATUSES as readonly string[]).includes(s));
  if (unknown?.length) throw new UsageError(`--status: unknown ${unknown.join(', ')} (valid: ${STATUSES.join(', ')})`);
  return named as Status[] | undefined;
}

export function splitCommas(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

const AUDIT_HELP: CommandHelp = {
  examples: [
    { run: '$0 audit --tag Swarm=prod', does: 'Audit the instances tagged Swarm=prod: a table on the terminal, failures first' },
    { run: '$0 audit --tag-key Swarm --status FAIL,ERROR --no-color', does: 'Every instance carrying the Swarm tag; list only FAIL and ERROR, no colours' },
    {
      run: '$0 audit --tag Swarm=prod --log-level warn --report sarif=swarm-audit.sarif --report junit=swarm-audit.xml --report markdown=-',
      does: 'CI: one SSM run writes SARIF for code scanning, JUnit for the test view and markdown on stdout',
    },
    { run: '$0 audit --tag Swarm=prod --security-hub --fail-on warn', does: 'Import the results into Security Hub; exit 1 on WARN as well' },
  ],
};

export function auditCommand(ctx: CliContext): CommandModule<object, AuditCommandArgs> {
  return {
    command: 'audit',
    describe: 'Probe every Swarm instance found by tag through SSM and evaluate the controls',
    builder: (yargs) =>
      withHelp(withAuditOptions(yargs)
        .option('report', {
          type: 'string',
          array: true,
          describe: `FORMAT=PATH: also write this report (repeatable; PATH - is stdout, which then carries only what --report names). Formats: ${reportFormats.join(', ')}`,
        })
        .option('status', {
          type: 'string',
          array: true,
          coerce: statusList,
          describe: `Only list these statuses in the table or markdown (comma-separated: ${STATUSES.join(', ')}); counts and the exit code still cover every result`,
        })
        .option('publish-compliance', {
          type: 'boolean',
          default: false,
          describe: `Also record the results in SSM Compliance (PutComplianceItems, type ${COMPLIANCE_TYPE})`,
        })
        .option('security-hub', {
          type: 'boolean',
          default: false,
          describe: 'Also import the results into AWS Security Hub as ASFF findings (BatchImportFindings); passes archive the findings they fix',
        })
        .option('color', {
          type: 'boolean',
          default: true,
          describe: 'Colour the table on a terminal; --no-color (or NO_COLOR set to anything) turns it off. Never in a file or a pipe',
        })
        .group(['color'], 'Output:') as unknown as Argv<AuditCommandArgs>, AUDIT_HELP),
    // loaded when the command runs: --help stays light (commands/handlers/README.md)
    handler: async (args) => (await import('./handlers/audit.js')).auditHandler(ctx, args),
  };
}
