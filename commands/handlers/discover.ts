/** What `swarm-audit discover` does; loaded by commands/discover.ts only when the command runs. */
import { discoverFleet } from '../../src/fleet/discover.js';
import { assertSomethingAuditable, assertSomethingMatched } from '../../src/fleet/fleet-scope.js';
import { parseTagArgs } from '../../src/fleet/tag-query.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { discoverScopes } from '../../src/scope/discover-scopes.js';
import { scopeContext } from '../../src/scope/scope-context.js';
import { scopeName } from '../../src/scope/scope.js';
import type { CliContext } from '../../src/cli/context.js';
import { formatFleetJson, formatFleetTable } from '../../src/cli/format-fleet.js';
import type { DiscoveryArgs } from '../../src/cli/options.js';
import { assertWritableOutput, writeReport } from '../../src/cli/write-output.js';

export async function discoverHandler(ctx: CliContext, args: DiscoveryArgs): Promise<void> {
  if (args.outputFile) await assertWritableOutput(args.outputFile, '--output-file');
  const query = parseTagArgs(args.tag, args.tagKey);
  const scoped = await scopeContext(args, { resolveOwnAccount: false, env: ctx.env, awsClients: ctx.awsClients });
  const { aws } = scoped;
  if (scoped.multi) {
    await discoverMany(ctx, args, scoped);
    return;
  }
  const instances = await discoverFleet(aws, query);
  const scope = { query, region: aws.region, allowEmpty: args.allowEmpty };
  assertSomethingMatched(instances, scope);
  const text = args.output === 'json' ? formatFleetJson(instances) : formatFleetTable(instances);
  await writeReport(ctx, text, args.outputFile);
  // the list is the evidence of why nothing can be audited: print it, then fail
  assertSomethingAuditable(instances, scope);
  ctx.exitCode = 0;
}

/** Several scopes: every instance with its account and region; a scope that failed is named on stderr with its cause and makes the exit code 2. */
async function discoverMany(ctx: CliContext, args: DiscoveryArgs, scoped: Awaited<ReturnType<typeof scopeContext>>): Promise<void> {
  const query = parseTagArgs(args.tag, args.tagKey);
  const { instances, scopes } = await discoverScopes(scoped.accounts, query, { logger: scoped.aws.logger, concurrency: DISCOVERY_CONCURRENCY });
  const failed = scopes.filter((s) => s.status === 'ERROR');
  const scope = { query, region: scopes.map(scopeName).join(', '), allowEmpty: args.allowEmpty };
  if (failed.length === 0) assertSomethingMatched(instances, scope);
  const text = args.output === 'json' ? JSON.stringify({ instances, scopes }, null, 2) : formatFleetTable(instances);
  await writeReport(ctx, text, args.outputFile);
  for (const s of failed) ctx.stderr.write(`scope ${scopeName(s)} not discovered: ${s.cause ?? 'unknown cause'}\n`);
  if (failed.length > 0) {
    ctx.exitCode = EXIT.incomplete;
    return;
  }
  assertSomethingAuditable(instances, scope);
  ctx.exitCode = 0;
}

/** Scopes listed at once; discovery's own DescribeInstanceInformation fan-out stays inside each. */
const DISCOVERY_CONCURRENCY = 8;
