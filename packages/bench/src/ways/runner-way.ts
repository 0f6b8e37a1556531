/**
 * Way (1): swarm-audit itself, through the product's code paths in the order
 * runAudit wires them: discoverFleet, runCommand (the probe script, so every
 * SendCommand has the audit's real payload), decodeAll (as runAudit: each
 * raw output dropped once decoded),
 * evaluateFleet with every check, and the JSON report written as the CLI
 * writes it (reportChunks through writeReport), to a sink that only counts
 * its bytes, as stdout redirected to /dev/null.
 */
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { decodeAll } from '../../../../src/audit/host-outcome.js';
import { createAwsClients } from '../../../../src/aws/client-factory.js';
import { SdkSsmApi } from '../../../../src/aws/sdk-ssm.js';
import { allChecks } from '../../../../src/checks/registry.js';
import type { AuditConfig } from '../../../../src/checks/types.js';
import { evaluateFleet } from '../../../../src/engine/evaluate.js';
import { discoverFleet } from '../../../../src/fleet/discover.js';
import type { FleetInstance } from '../../../../src/fleet/instance.js';
import type { CommandOutcome, CommandSpec } from '../../../../src/fleet/outcome.js';
import { runCommand } from '../../../../src/fleet/runner.js';
import { parseTagArgs } from '../../../../src/fleet/tag-query.js';
import { PROBE_TIMEOUT_SECONDS, probeCommands } from '../../../../src/probe/script.js';
import { writeReport } from '../../../../src/cli/write-output.js';
import { reportChunks } from '../../../../src/report/index.js';
import { BENCH_REGION, BENCH_TAG, benchInstanceId } from '../bench-fleet.js';
import { invariantProblems, reportProblems } from '../invariants.js';
import { LogCounter } from '../log-counter.js';
import { countStatuses, SANDBOX_CREDENTIALS, type WayInput, type WayResult } from './way-input.js';

const RUN_TIMEOUT_MS = 600_000;
const NO_ALLOWLIST: AuditConfig = { checks: {} };

export async function runnerWay(input: WayInput): Promise<WayResult> {
  const logs = new LogCounter();
  const clients = createAwsClients({ endpointUrl: input.endpointUrl, region: BENCH_REGION, credentials: SANDBOX_CREDENTIALS });
  const deps = { ...clients, logger: logs.logger };
  const spec: CommandSpec = { kind: 'shell', commands: probeCommands(), executionTimeoutSeconds: PROBE_TIMEOUT_SECONDS };
  const tagQuery = parseTagArgs([`${BENCH_TAG.key}=${BENCH_TAG.value}`], []);
  try {
    const startedAt = new Date();
    const started = performance.now();
    const instances = await discoverFleet(deps, tagQuery);
    const discoveryMs = performance.now() - started;
    const reachable = instances.filter((i) => i.reachable).map((i) => i.instanceId);
    const outcomes = await runCommand(deps, reachable, spec, { concurrency: input.concurrency, timeoutMs: RUN_TIMEOUT_MS });
    const wallMs = performance.now() - started;
    const peakAfterRun = peakRssBytes();
    const expectedIds = Array.from({ length: input.instances }, (_, i) => benchInstanceId(i));
    const outcomeProblems = invariantProblems({ expectedIds, discovered: instances, outcomes });
    const statuses = countStatuses([...outcomes.values()].map((o) => o.status));
    const finished = [...outcomes.values()].filter((o) => o.status === 'Success' && o.stdoutComplete).length;
    const { report, probesDecoded, decodedMs, peakAfterDecode } = decodeAndEvaluate(instances, outcomes, startedAt, started);
    const evaluatedMs = performance.now() - started;
    const peakAfterEvaluate = peakRssBytes();
    const sink = new ByteCounter();
    await writeReport({ stdout: sink }, reportChunks('json', report, { target: { regions: [BENCH_REGION], tagQuery } }));
    const reportedMs = performance.now() - started;
    return {
      way: 'runner',
      wallMs,
      discoveryMs,
      finished,
      statuses,
      peakRssBytes: peakRssBytes(),
      extra: {
        // where the peak is reached: the peak so far at the end of each phase
        peakAfterRunBytes: peakAfterRun,
        peakAfterDecodeBytes: peakAfterDecode,
        peakAfterEvaluateBytes: peakAfterEvaluate,
        decodeMs: decodedMs - wallMs,
        evaluateMs: evaluatedMs - decodedMs,
        reportMs: reportedMs - evaluatedMs,
        auditMs: reportedMs,
        reportBytes: sink.bytes,
        probesDecoded,
        ourBackoffRetries: Object.values(logs.counts.backoffRetries).reduce((a, b) => a + b, 0),
      },
      problems: [...outcomeProblems, ...reportProblems(expectedIds, report)],
    };
  } finally {
    if (clients.ssm instanceof SdkSsmApi) clients.ssm.destroy();
  }
}

/** As runAudit: the decoded hosts live only until the report exists (the caller keeps the report). */
function decodeAndEvaluate(instances: FleetInstance[], outcomes: Map<string, CommandOutcome>, startedAt: Date, started: number) {
  const hosts = decodeAll(instances, outcomes);
  const decodedMs = performance.now() - started;
  const peakAfterDecode = peakRssBytes();
  const probesDecoded = hosts.filter((h) => h.probe.ok).length;
  const report = evaluateFleet({ hosts, checks: [...allChecks], config: NO_ALLOWLIST, startedAt, finishedAt: new Date() });
  return { report, probesDecoded, decodedMs, peakAfterDecode };
}

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Where the bench writes the report: counts the bytes, keeps none. Strings
 * pass through as strings (no Buffer per chunk), as they do to the CLI's
 * stdout, a file or pipe that Node writes strings to without a JS Buffer.
 */
class ByteCounter extends Writable {
  bytes = 0;

  constructor() {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, encoding: BufferEncoding | 'buffer', done: () => void): void {
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding === 'buffer' ? 'utf8' : encoding) : chunk.length;
    done();
  }
}
