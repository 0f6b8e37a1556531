/** What `swarm-audit schedule` does; loaded by commands/schedule.ts only when the command runs. */
import { awsContext } from '../../src/cli/aws-context.js';
import type { CliContext } from '../../src/cli/context.js';
import { scheduleRequest } from '../../src/schedule/schedule-request.js';
import { deleteAssociation, scheduleAssociation } from '../../src/schedule/schedule-association.js';
import { renderDeleteOutcome, renderScheduleOutcome } from '../../src/schedule/render-outcome.js';
import type { ScheduleArgs } from '../schedule.js';

export async function scheduleHandler(ctx: CliContext, args: ScheduleArgs): Promise<void> {
  // every flag is checked before the first AWS call
  const request = scheduleRequest(args);
  const aws = awsContext(args, ctx.awsClients);
  if (request.kind === 'delete') {
    ctx.stdout.write(renderDeleteOutcome(await deleteAssociation(aws.ssm, request.name), request.name));
    return;
  }
  const outcome = await scheduleAssociation(aws.ssm, request.association, request.dryRun);
  aws.logger.info({ association: request.association.AssociationName, action: outcome.action }, 'schedule done');
  ctx.stdout.write(renderScheduleOutcome(outcome, request.association));
}
