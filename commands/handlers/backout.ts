/** What `swarm-audit backout` does; loaded by commands/backout.ts only when the command runs. */
import { awsContext } from '../../src/cli/aws-context.js';
import type { CliContext } from '../../src/cli/context.js';
import { backoutJournal, renderBackout, ssmRemoteShell } from '../../src/remediation/index.js';
import type { BackoutArgs } from '../backout.js';

export async function backoutHandler(ctx: CliContext, args: BackoutArgs): Promise<void> {
  const aws = awsContext(args, ctx.awsClients);
  const result = await backoutJournal(
    { shell: ssmRemoteShell({ ssm: aws.ssm, logger: aws.logger }), logger: aws.logger },
    { journalPath: args.journal, apply: args.apply },
  );
  ctx.stdout.write(renderBackout(result));
  ctx.exitCode = result.status === 'failed' ? 1 : 0;
}
