/** What `swarm-audit collect` does; loaded by commands/collect.ts only when the command runs. */
import { awsContext } from '../../src/cli/aws-context.js';
import { checksAndConfig } from '../../src/cli/audit-config.js';
import type { CliContext } from '../../src/cli/context.js';
import { reportDeliveries, reportOutputs, STDOUT } from '../../src/cli/report-outputs.js';
import { FILE_STYLE, stdoutStyle } from '../../src/cli/terminal.js';
import { assertWritableOutput, writeReportTo } from '../../src/cli/write-output.js';
import { collectAudit } from '../../src/collect/collect-audit.js';
import { collectSource } from '../../src/collect/collect-source.js';
import { exitCodeFor } from '../../src/engine/exit-code.js';
import { assertAsffTarget } from '../../src/report/asff.js';
import { reportChunks } from '../../src/report/index.js';
import { resolveAccountId } from '../../src/aws/sts-account.js';
import type { CollectArgs } from '../collect.js';

export async function collectHandler(ctx: CliContext, args: CollectArgs): Promise<void> {
  const outputs = reportOutputs(args);
  const style = stdoutStyle(ctx, args.color);
  for (const { path } of outputs) if (path !== STDOUT) await assertWritableOutput(path, args.report?.length ? '--report' : '--output-file');
  const source = collectSource(args);
  const { checks, config } = await checksAndConfig(ctx, args);
  const aws = awsContext(args, ctx.awsClients);
  const asffNeeded = outputs.some((o) => o.format === 'asff');
  // ASFF names the account: known before anything is read, as in audit
  const accountId = asffNeeded ? await resolveAccountId(aws.sts, undefined) : undefined;
  const { report, query } = await collectAudit(aws, { ...source, checks, config, concurrency: args.concurrency, allowEmpty: args.allowEmpty });
  const target = { regions: [aws.region], ...(accountId === undefined ? {} : { accountId }), tagQuery: query };
  if (asffNeeded) assertAsffTarget(target);
  // each distinct text built once, as audit does
  for (const { format, toStdout, files } of reportDeliveries(outputs)) {
    const chunks = reportChunks(format, report, { ...(toStdout ? style : FILE_STYLE), failOn: args.failOn, target });
    await writeReportTo({ ...(toStdout ? { stdout: ctx.stdout } : {}), files }, chunks);
  }
  ctx.exitCode = exitCodeFor(report, args.failOn);
}
