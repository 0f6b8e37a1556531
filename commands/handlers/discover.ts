/** What `swarm-audit discover` does; loaded by commands/discover.ts only when the command runs. */
import { discoverFleet } from '../../src/fleet/discover.js';
import { assertSomethingAuditable, assertSomethingMatched } from '../../src/fleet/fleet-scope.js';
import { parseTagArgs } from '../../src/fleet/tag-query.js';
import { awsContext } from '../../src/cli/aws-context.js';
import type { CliContext } from '../../src/cli/context.js';
import { formatFleetJson, formatFleetTable } from '../../src/cli/format-fleet.js';
import type { DiscoveryArgs } from '../../src/cli/options.js';
import { assertWritableOutput, writeReport } from '../../src/cli/write-output.js';

export async function discoverHandler(ctx: CliContext, args: DiscoveryArgs): Promise<void> {
  if (args.outputFile) await assertWritableOutput(args.outputFile, '--output-file');
  const query = parseTagArgs(args.tag, args.tagKey);
  const aws = awsContext(args);
  const instances = await discoverFleet(aws, query);
  const scope = { query, region: aws.region, allowEmpty: args.allowEmpty };
  assertSomethingMatched(instances, scope);
  const text = args.output === 'json' ? formatFleetJson(instances) : formatFleetTable(instances);
  await writeReport(ctx, text, args.outputFile);
  // the list is the evidence of why nothing can be audited: print it, then fail
  assertSomethingAuditable(instances, scope);
  ctx.exitCode = 0;
}
