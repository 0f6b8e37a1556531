/**
 * Way (2): what an operator writes first with the SDK: one SendCommand per
 * instance, then GetCommandInvocation for each instance every second until
 * it is final; at most `concurrency` calls in flight. Plain SDK clients with
 * their default retries, as such a script would have. Discovery is the
 * product's own (the same for every way), so the ways differ in the run only.
 */
import { performance } from 'node:perf_hooks';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import pLimit from 'p-limit';
import { createAwsClients } from '../../../../src/aws/client-factory.js';
import { SdkSsmApi } from '../../../../src/aws/sdk-ssm.js';
import { discoverFleet } from '../../../../src/fleet/discover.js';
import { parseTagArgs } from '../../../../src/fleet/tag-query.js';
import { probeCommands } from '../../../../src/probe/script.js';
import { BENCH_REGION, BENCH_TAG } from '../bench-fleet.js';
import { countStatuses, POLL_EVERY_MS, SANDBOX_CREDENTIALS, sleep, type WayInput, type WayResult } from './way-input.js';

const FINAL = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut']);

export async function naiveWay(input: WayInput): Promise<WayResult> {
  const product = createAwsClients({ endpointUrl: input.endpointUrl, region: BENCH_REGION, credentials: SANDBOX_CREDENTIALS });
  const ssm = new SSMClient({ endpoint: input.endpointUrl, region: BENCH_REGION, credentials: SANDBOX_CREDENTIALS });
  const limit = pLimit(input.concurrency);
  const statuses = new Map<string, string>();
  /** Kept as a script would keep them, to use afterwards. */
  const outputs = new Map<string, string>();
  const problems: string[] = [];
  try {
    const started = performance.now();
    const fleet = await discoverFleet(product, parseTagArgs([`${BENCH_TAG.key}=${BENCH_TAG.value}`], []));
    const discoveryMs = performance.now() - started;
    const ids = fleet.filter((i) => i.reachable).map((i) => i.instanceId);
    await Promise.all(
      ids.map(async (id) => {
        try {
          const sent = await limit(() =>
            ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [id], Parameters: { commands: probeCommands() } })),
          );
          const final = await pollUntilFinal(ssm, limit, sent.Command!.CommandId!, id);
          statuses.set(id, final.status);
          outputs.set(id, final.stdout);
        } catch (err) {
          statuses.set(id, `error: ${(err as Error).name}`);
        }
      }),
    );
    const wallMs = performance.now() - started;
    const finished = [...statuses.values()].filter((s) => FINAL.has(s)).length;
    if (outputs.size !== finished) problems.push(`${outputs.size} outputs for ${finished} finished instances`);
    if (finished !== input.instances) problems.push(`${finished} of ${input.instances} instances finished`);
    return {
      way: 'naive',
      wallMs,
      discoveryMs,
      finished,
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

async function pollUntilFinal(
  ssm: SSMClient,
  limit: ReturnType<typeof pLimit>,
  commandId: string,
  instanceId: string,
): Promise<{ status: string; stdout: string }> {
  for (;;) {
    await sleep(POLL_EVERY_MS);
    try {
      const answer = await limit(() => ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId })));
      if (answer.Status && FINAL.has(answer.Status)) return { status: answer.Status, stdout: answer.StandardOutputContent ?? '' };
    } catch (err) {
      if ((err as Error).name !== 'InvocationDoesNotExist') throw err;
    }
  }
}
