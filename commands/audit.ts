import type { Argv, CommandModule } from 'yargs';
import { COMPLIANCE_TYPE } from '../src/audit/compliance-items.js';
import { publishCompliance } from '../src/audit/publish-compliance.js';
import { publishSecurityHub } from '../src/audit/publish-security-hub.js';
import { resolveAccountId } from '../src/aws/sts-account.js';
import { asffFindings, assertAsffTarget } from '../src/report/asff.js';
import { runAudit } from '../src/audit/run-audit.js';
import { selectChecks } from '../src/checks/registry.js';
import { exitCodeFor } from '../src/engine/exit-code.js';
import { reportChunks, reportFormats } from '../src/report/index.js';
import { assertStatusFilterUsed, reportOutputs, STDOUT } from '../src/cli/report-outputs.js';
import type { Status } from '../src/checks/types.js';
import { STATUSES } from '../src/engine/summary.js';
import { UsageError } from '../src/errors.js';
import { parseTagArgs } from '../src/fleet/tag-query.js';
import { loadAuditConfig } from '../src/cli/audit-config.js';
import { awsContext } from '../src/cli/aws-context.js';
import type { CliContext } from '../src/cli/context.js';
import { withDiscoveryOptions, withRunnerOptions, type DiscoveryArgs, type TargetArgs } from '../src/cli/options.js';
import { assertWritableOutput, writeReport, writeReportFile } from '../src/cli/write-output.js';
import { interruptionOf, whileInterruptible } from '../src/cli/interruption.js';
import { EXIT } from '../src/cli/exit-codes.js';

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

export interface AuditArgs extends AuditScopeArgs, DiscoveryArgs {
  failOn: 'fail' | 'warn';
  accountId?: string;
}

interface AuditCommandArgs extends AuditArgs {
  status?: Status[];
  report?: string[];
  publishCompliance: boolean;
  securityHub: boolean;
}

export function withAuditScopeOptions<T, U extends TargetArgs>(yargs: Argv<T & U>): Argv<T & U & AuditScopeArgs> {
  return withRunnerOptions(yargs)
    .option('checks', { type: 'string', array: true, coerce: splitCommas, describe: 'Only these check ids (comma-separated)' })
    .option('config', { type: 'string', describe: 'Audit configuration file (JSON): published-port allowlist' })
    .option('allow-published-service', { type: 'string', array: true, default: [] as string[], describe: 'Service whose published ports are accepted' })
    .option('allow-published-port', { type: 'string', array: true, default: [] as string[], describe: 'Published port accepted anywhere (8080 or 8080/tcp)' })
    .group(['checks', 'config', 'allow-published-service', 'allow-published-port'], 'Audit:') as unknown as Argv<T & U & AuditScopeArgs>;
}

export function withAuditOptions<T>(yargs: Argv<T>): Argv<T & AuditArgs> {
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

export function auditCommand(ctx: CliContext): CommandModule<object, AuditCommandArgs> {
  return {
    command: 'audit',
    describe: 'Probe every Swarm instance found by tag through SSM and evaluate the controls',
    builder: (yargs) =>
      withAuditOptions(yargs)
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
        }) as unknown as Argv<AuditCommandArgs>,
    handler: async (args) => {
      const outputs = reportOutputs(args);
      if (args.status !== undefined) assertStatusFilterUsed(outputs);
      for (const { path } of outputs) if (path !== STDOUT) await assertWritableOutput(path, args.report?.length ? '--report' : '--output-file');
      const checks = selectChecks(args.checks);
      const config = await loadAuditConfig(args.config, {
        services: args.allowPublishedService,
        ports: args.allowPublishedPort,
      });
      const aws = awsContext(args);
      const asffNeeded = outputs.some((o) => o.format === 'asff') || args.securityHub;
      // known before the audit runs: a run must not end in "account unknown" after probing the fleet
      const accountId = asffNeeded || args.accountId !== undefined ? await resolveAccountId(aws.sts, args.accountId) : undefined;
      const target = {
        regions: [aws.region],
        ...(accountId === undefined ? {} : { accountId }),
        tagQuery: parseTagArgs(args.tag, args.tagKey),
      };
      if (asffNeeded) assertAsffTarget(target);
      const onInterrupt = (name: string) =>
        aws.logger.warn({ signal: name }, 'cancelling the commands still running, then writing the partial report; send the signal again to exit at once');
      await whileInterruptible({ signals: ctx.signals, onInterrupt }, async (signal) => {
        const { report, instances } = await runAudit(aws, {
          tags: args.tag,
          tagKeys: args.tagKey,
          checks,
          config,
          concurrency: args.concurrency,
          timeoutMs: args.timeout * 1000, deliveryTimeoutSeconds: args.deliveryTimeout,
          documentName: args.documentName,
          outputS3Bucket: args.outputS3Bucket,
          allowEmpty: args.allowEmpty,
          signal,
        });
        for (const { format, path } of outputs) {
          const chunks = reportChunks(format, report, { color: path === STDOUT && ctx.isTty, failOn: args.failOn, target, statuses: args.status });
          if (path === STDOUT) await writeReport(ctx, chunks);
          else await writeReportFile(chunks, path);
        }
        const interrupted = interruptionOf(signal);
        if (interrupted) {
          // stopped by the operator: whatever was found, the run is incomplete; nothing more is sent to AWS
          aws.logger.warn({ signal: interrupted.signalName }, 'run interrupted: partial report written, unfinished instances are ERROR');
          ctx.exitCode = EXIT.incomplete;
          return;
        }
        ctx.exitCode = exitCodeFor(report, args.failOn);
        // the report stands; an incomplete upload makes the run incomplete unless findings already failed it
        const uploadFailed = () => {
          if (ctx.exitCode === EXIT.ok) ctx.exitCode = EXIT.incomplete;
        };
        if (args.publishCompliance) {
          const published = await publishCompliance(aws, {
            instances,
            results: report.results,
            failOn: args.failOn,
            executionTime: new Date(report.startedAt),
            executionId: `swarm-audit ${report.startedAt}`,
            concurrency: args.concurrency,
          });
          if (published.failed.length > 0) uploadFailed();
        }
        if (args.securityHub) {
          const imported = await publishSecurityHub(aws, { findings: asffFindings(report, target), instances });
          if (imported.failed.length > 0) uploadFailed();
        }
      });
    },
  };
}
