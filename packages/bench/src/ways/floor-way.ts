/**
 * Way (3): the floor, a plain script that does the least SSM allows: batched
 * SendCommand (50 ids a call), ListCommands every second to learn which
 * commands finished (50 commands a page), and each finished command's
 * invocations read once with details (ListCommandInvocations, every page).
 * No retries beyond the SDK's, no deadline, no fallback for cut outputs, no
 * eventual-consistency guard: nothing swarm-audit must also guarantee.
 * Discovery is the product's own, the same for every way.
 */
import { performance } from 'node:perf_hooks';
import {
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
  type Command,
} from '@aws-sdk/client-ssm';
import pLimit from 'p-limit';
import { createAwsClients } from '../../../../src/aws/client-factory.js';
import { SdkSsmApi } from '../../../../src/aws/sdk-ssm.js';
import { discoverFleet } from '../../../../src/fleet/discover.js';
import { parseTagArgs } from '../../../../src/fleet/tag-query.js';
import { probeCommands } from '../../../../src/probe/script.js';
import { BENCH_REGION, BENCH_TAG } from '../bench-fleet.js';
import { countStatuses, POLL_EVERY_MS, SANDBOX_CREDENTIALS, sleep, type WayInput, type WayResult } from './way-input.js';

const BATCH = 50;

export async function floorWay(input: WayInput): Promise<WayResult> {
  const product = createAwsClients({ endpointUrl: input.endpointUrl, region: BENCH_REGION, credentials: SANDBOX_CREDENTIALS });
  const ssm = new SSMClient({ endpoint: input.endpointUrl, region: BENCH_REGION, credentials: SANDBOX_CREDENTIALS });
  const limit = pLimit(input.concurrency);
  const statuses = new Map<string, string>();
  const outputs = new Map<string, string>();
  const problems: string[] = [];
  try {
    const started = performance.now();
    const fleet = await discoverFleet(product, parseTagArgs([`${BENCH_TAG.key}=${BENCH_TAG.value}`], []));
    const discoveryMs = performance.now() - started;
    const ids = fleet.filter((i) => i.reachable).map((i) => i.instanceId);
    const since = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
    const unread = new Set<string>();
    let sending = true;
    const sends = Promise.all(
      chunks(ids, BATCH).map(async (batch) => {
        const sent = await limit(() =>
          ssm.send(
            new SendCommandCommand({
              DocumentName: 'AWS-RunShellScript',
              InstanceIds: batch,
              Parameters: { commands: probeCommands() },
              MaxConcurrency: '100%',
              MaxErrors: '100%',
            }),
          ),
        );
        unread.add(sent.Command!.CommandId!);
      }),
    ).finally(() => (sending = false));
    while (sending || unread.size > 0) {
      await sleep(POLL_EVERY_MS);
      const finished = (await listCommands(ssm, limit, since)).filter(
        (c) => unread.has(c.CommandId!) && (c.TargetCount ?? 0) > 0 && c.CompletedCount === c.TargetCount,
      );
      await Promise.all(
        finished.map(async (command) => {
          await readInvocations(ssm, limit, command.CommandId!, statuses, outputs);
          unread.delete(command.CommandId!);
        }),
      );
    }
    await sends;
    const wallMs = performance.now() - started;
    if (statuses.size !== input.instances) problems.push(`${statuses.size} of ${input.instances} instances finished`);
    return {
      way: 'floor',
      wallMs,
      discoveryMs,
      finished: statuses.size,
      statuses: countStatuses(statuses.values()),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      extra: {},
      problems,
    };
  } finally {
    ssm.destroy();
    if (product.ssm instanceof SdkSsmApi) product.ssm.destroy();
  }
}

async function listCommands(ssm: SSMClient, limit: ReturnType<typeof pLimit>, since: Date): Promise<Command[]> {
  const commands: Command[] = [];
  let nextToken: string | undefined;
  do {
    const page = await limit(() =>
      ssm.send(
        new ListCommandsCommand({
          Filters: [{ key: 'InvokedAfter', value: since.toISOString().replace(/\.\d{3}Z$/, 'Z') }],
          MaxResults: 50,
          NextToken: nextToken,
        }),
      ),
    );
    commands.push(...(page.Commands ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return commands;
}

async function readInvocations(
  ssm: SSMClient,
  limit: ReturnType<typeof pLimit>,
  commandId: string,
  statuses: Map<string, string>,
  outputs: Map<string, string>,
): Promise<void> {
  let nextToken: string | undefined;
  do {
    const page = await limit(() =>
      ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true, MaxResults: 50, NextToken: nextToken })),
    );
    for (const invocation of page.CommandInvocations ?? []) {
      statuses.set(invocation.InstanceId!, invocation.Status!);
      outputs.set(invocation.InstanceId!, invocation.CommandPlugins?.[0]?.Output ?? '');
    }
    nextToken = page.NextToken;
  } while (nextToken);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
