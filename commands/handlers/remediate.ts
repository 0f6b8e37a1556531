/** What `swarm-audit remediate` does; loaded by commands/remediate.ts only when the command runs. */
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { runAudit } from '../../src/audit/run-audit.js';
import { checksAndConfig } from '../../src/cli/audit-config.js';
import { awsContext } from '../../src/cli/aws-context.js';
import type { CliContext } from '../../src/cli/context.js';
import { progressLine } from '../../src/cli/progress.js';
import {
  applyExitCode, applyPlan, auditedHostsOf, confirmationPolicy, loadSecurityGroupRules, parsePlan, parseUnpublish, planDigest, planRemediation,
  renderPlan, serializePlan, ssmRemoteShell,
} from '../../src/remediation/index.js';
import { UsageError } from '../../src/errors.js';
import type { RemediateArgs } from '../remediate.js';

export async function remediateHandler(ctx: CliContext, args: RemediateArgs): Promise<void> {
  const aws = awsContext(args, ctx.awsClients);
  // remediate audits with every check (its --checks names the ones to fix)
  const { checks, config } = await checksAndConfig(ctx, { ...args, checks: undefined });
  const audit = () => {
    // the audit's progress line (a terminal, --log-level info or lower), cleared before the plan or a question prints
    const progress = progressLine(ctx.stderr, args.logLevel);
    progress?.start();
    return runAudit(aws, {
      tags: args.tag, tagKeys: args.tagKey, checks, config,
      concurrency: args.concurrency, timeoutMs: args.timeout * 1000, deliveryTimeoutSeconds: args.deliveryTimeout, documentName: args.documentName, outputS3Bucket: args.outputS3Bucket, allowEmpty: args.allowEmpty,
      onProgress: progress?.onProgress,
    }).finally(() => progress?.stop());
  };
  const plan = args.apply && args.planFile
    ? savedPlanOnly(args, await readFile(args.planFile, 'utf8'))
    : await buildPlan(args, audit);
  if (!args.apply) {
    ctx.stdout.write(renderPlan(plan));
    if (args.planFile) await writeFile(args.planFile, serializePlan(plan), 'utf8');
    return;
  }
  const ask = async (question: string) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try { return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim()); } finally { rl.close(); }
  };
  // the result printed below carries the digest too (planDigest)
  aws.logger.info({ planDigest: planDigest(plan), planFile: args.planFile ?? '(planned just now)' }, 'applying plan');
  const result = await applyPlan(
    {
      shell: ssmRemoteShell({ ssm: aws.ssm, logger: aws.logger }),
      refreshState: async () => {
        const run = await audit();
        return { hosts: auditedHostsOf(run.hosts), findings: run.report.results };
      },
      logger: aws.logger,
      confirm: confirmationPolicy({ yes: args.yes, interactive: Boolean(process.stdin.isTTY), ask }),
      securityGroupRules: (groupIds) => loadSecurityGroupRules(aws.ec2, groupIds),
    },
    plan,
    {
      journalPath: args.journal ?? `swarm-audit-journal-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`,
      force: args.force,
      noRollback: !args.rollback,
    },
  );
  ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  ctx.exitCode = applyExitCode(result);
}

async function buildPlan(args: RemediateArgs, audit: () => ReturnType<typeof runAudit>) {
  const run = await audit();
  return planRemediation({
    hosts: auditedHostsOf(run.hosts),
    findings: run.report.results,
    checks: args.checks,
    options: {
      keepName: args.keepName, includeIngress: args.includeIngress,
      unpublish: args.unpublish.map(parseUnpublish), hostMode: args.hostMode,
    },
  });
}

/** With --apply --plan-file, what to plan comes from the file: a planning flag as well would be ignored, so it is refused. */
function savedPlanOnly(args: RemediateArgs, text: string) {
  const given = [
    args.keepName && '--keep-name', args.includeIngress && '--include-ingress', args.unpublish.length > 0 && '--unpublish',
    args.hostMode.length > 0 && '--host-mode', args.checks && '--checks',
  ].filter(Boolean);
  if (given.length > 0) {
    throw new UsageError(`--apply --plan-file applies the plan as reviewed: ${given.join(', ')} would be ignored (plan again with them instead)`, 'Usage');
  }
  return parsePlan(text, `plan file ${args.planFile}`);
}
