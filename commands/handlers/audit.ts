/** What `swarm-audit audit` does; loaded by commands/audit.ts only when the command runs, so --help never loads the SDK. */
import { publishCompliance } from '../../src/audit/publish-compliance.js';
import { publishSecurityHub } from '../../src/audit/publish-security-hub.js';
import { asffFindings, assertAsffTarget } from '../../src/report/asff.js';
import { auditScopes } from '../../src/scope/run-scopes.js';
import { assertOneScopeFor, scopeContext } from '../../src/scope/scope-context.js';
import { exitCodeFor } from '../../src/engine/exit-code.js';
import { reportChunks } from '../../src/report/index.js';
import { assertStatusFilterUsed, reportDeliveries, reportOutputs, STDOUT } from '../../src/cli/report-outputs.js';
import { parseTagArgs } from '../../src/fleet/tag-query.js';
import { checksAndConfig } from '../../src/cli/audit-config.js';
import type { CliContext } from '../../src/cli/context.js';
import { assertWritableOutput, writeReportTo } from '../../src/cli/write-output.js';
import { interruptionOf, whileInterruptible } from '../../src/cli/interruption.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { FILE_STYLE, stdoutStyle } from '../../src/cli/terminal.js';
import { progressLine } from '../../src/cli/progress.js';
import type { AuditCommandArgs } from '../audit.js';

export async function auditHandler(ctx: CliContext, args: AuditCommandArgs): Promise<void> {
  const outputs = reportOutputs(args);
  const style = stdoutStyle(ctx, args.color);
  if (args.status !== undefined) assertStatusFilterUsed(outputs);
  for (const { path } of outputs) if (path !== STDOUT) await assertWritableOutput(path, args.report?.length ? '--report' : '--output-file');
  const { checks, config } = await checksAndConfig(ctx, args);
  const asffNeeded = outputs.some((o) => o.format === 'asff') || args.securityHub;
  // the scopes are checked before any AWS call; accounts known before the audit runs: a run must not end in "account unknown" after probing the fleet
  const scoped = await scopeContext(args, { resolveOwnAccount: asffNeeded || args.accountId !== undefined, env: ctx.env, awsClients: ctx.awsClients });
  if (args.publishCompliance) assertOneScopeFor(scoped, '--publish-compliance');
  if (args.securityHub) assertOneScopeFor(scoped, '--security-hub');
  const { aws, accountId } = scoped;
  const target = {
    regions: scoped.regions,
    ...(accountId === undefined ? {} : { accountId }),
    ...(scoped.scopes === undefined ? {} : { scopes: scoped.scopes }),
    tagQuery: parseTagArgs(args.tag, args.tagKey),
  };
  if (asffNeeded) assertAsffTarget(target);
  const onInterrupt = (name: string) =>
    aws.logger.warn({ signal: name }, 'cancelling the commands still running, then writing the partial report; send the signal again to exit at once');
  // on a terminal at --log-level info or lower: done/total and who is still waiting, cleared before the report prints
  const progress = progressLine(ctx.stderr, args.logLevel);
  await whileInterruptible({ signals: ctx.signals, onInterrupt }, async (signal) => {
    progress?.start();
    const { report, instances } = await auditScopes({ accounts: scoped.accounts, logger: aws.logger }, {
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
      onProgress: progress?.onProgress,
    }).finally(() => progress?.stop());
    // each distinct text built once (--output json --output-file F: one JSON, two destinations)
    for (const { format, toStdout, files } of reportDeliveries(outputs)) {
      const chunks = reportChunks(format, report, { ...(toStdout ? style : FILE_STYLE), failOn: args.failOn, target, statuses: args.status });
      await writeReportTo({ ...(toStdout ? { stdout: ctx.stdout } : {}), files }, chunks);
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
}
