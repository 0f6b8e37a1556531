/**
 * One bench variant through the product's own code paths, phase by phase, in
 * the order runAudit (src/audit/run-audit.ts) wires them: the local endpoint
 * from a validated fleet file, the real SDK clients, discoverFleet,
 * runCommand, toHostInput (which decodes), evaluateFleet, formatReport json.
 *
 * The one substitution: each instance runs `exec cat <its fixture>` instead of
 * the probe, because a host-namespace sandbox instance would probe this
 * machine's docker. The real probe script still follows in the same
 * AWS-RunShellScript commands (never reached after exec), so every SendCommand
 * carries the audit's real payload size.
 */
import { allChecks } from '../../src/checks/registry.js';
import type { AuditConfig } from '../../src/checks/types.js';
import { createAwsClients } from '../../src/aws/client-factory.js';
import { SdkSsmApi } from '../../src/aws/sdk-ssm.js';
import { toHostInput } from '../../src/audit/host-outcome.js';
import { evaluateFleet } from '../../src/engine/evaluate.js';
import type { AuditReport } from '../../src/engine/report-model.js';
import { discoverFleet } from '../../src/fleet/discover.js';
import type { CommandOutcome, CommandSpec } from '../../src/fleet/outcome.js';
import { runCommand } from '../../src/fleet/runner.js';
import { parseTagArgs } from '../../src/fleet/tag-query.js';
import { PROBE_TIMEOUT_SECONDS, probeCommands } from '../../src/probe/script.js';
import { formatReport } from '../../src/report/index.js';
import { startEndpoint, type EndpointStats } from '../../src/sandbox/endpoint/server.js';
import { BENCH_REGION, BENCH_TAG, FIXTURE_ENV, benchInstanceId, writeBenchFleet } from './bench-fleet.js';
import { fetchEndpointStats, sumOf } from './endpoint-stats.js';
import { ExecutionWatch } from './execution-watch.js';
import type { VariantFigures } from './figures.js';
import { invariantProblems } from './invariants.js';
import { LogCounter } from './log-counter.js';
import { PhaseTimer } from './phase-timer.js';
import { describeThrottling, type Variant } from './variants.js';

/** Phases outside `swarm-audit audit` itself. */
const SETUP_AND_TEARDOWN = new Set(['fleet file (write, validate)', 'endpoint start', 'endpoint close']);
/** Generous: a sound run of 2,000 instances takes seconds. */
const RUN_TIMEOUT_MS = 300_000;
const SANDBOX_CREDENTIALS = { accessKeyId: 'AKIDSANDBOXBENCH', secretAccessKey: 'sandbox-bench' };
const NO_ALLOWLIST: AuditConfig = { allowPublished: { services: [], ports: [] } };

/** As src/audit/run-audit.ts probeSpec, with the fixture read in front of the probe. */
export function benchCommandSpec(): CommandSpec {
  return {
    kind: 'shell',
    commands: [`exec cat -- "$${FIXTURE_ENV}"`, ...probeCommands()],
    executionTimeoutSeconds: PROBE_TIMEOUT_SECONDS,
    comment: 'swarm-audit bench: captured probe record',
  };
}

export async function runVariant(variant: Variant, workDir: string): Promise<VariantFigures> {
  const timer = new PhaseTimer();
  const logs = new LogCounter();
  const fleetFile = await timer.time('fleet file (write, validate)', () =>
    writeBenchFleet(workDir, variant.name, variant.instances, variant.faults),
  );
  const endpoint = await timer.time('endpoint start', () => startEndpoint({ fleet: fleetFile, port: 0 }));
  const clients = createAwsClients({ endpointUrl: endpoint.url, region: BENCH_REGION, credentials: SANDBOX_CREDENTIALS });
  const deps = { ...clients, logger: logs.logger };
  try {
    const startedAt = new Date();
    const instances = await timer.time('discovery', () =>
      discoverFleet(deps, parseTagArgs([`${BENCH_TAG.key}=${BENCH_TAG.value}`], [])),
    );
    const reachable = instances.filter((i) => i.reachable).map((i) => i.instanceId);
    const watch = new ExecutionWatch(endpoint.stats, reachable.length);
    const outcomes = await timer.time('run', () =>
      runCommand(deps, reachable, benchCommandSpec(), { concurrency: variant.concurrency, timeoutMs: RUN_TIMEOUT_MS }),
    );
    const lastProcessEndedMs = watch.stop();
    const hosts = await timer.time('decode', () => instances.map((i) => toHostInput(i, outcomes.get(i.instanceId))));
    const report = await timer.time('evaluate', () =>
      evaluateFleet({ hosts, checks: [...allChecks], config: NO_ALLOWLIST, startedAt, finishedAt: new Date() }),
    );
    const json = await timer.time('report (json)', () => formatReport('json', report));
    const stats = await fetchEndpointStats(endpoint.url);
    const expectedIds = Array.from({ length: variant.instances }, (_, i) => benchInstanceId(i));
    const problems = invariantProblems({ expectedIds, discovered: instances, outcomes, report });
    await timer.time('endpoint close', () => closeAll(endpoint, clients.ssm));
    return {
      variant: variant.name,
      description: variant.description,
      instances: variant.instances,
      concurrency: variant.concurrency,
      throttling: describeThrottling(variant.faults),
      phases: timer.phases,
      auditMs: timer.phases.filter((p) => !SETUP_AND_TEARDOWN.has(p.name)).reduce((sum, p) => sum + p.ms, 0),
      totalMs: timer.totalMs(),
      peakRssBytes: timer.peakRssBytes(),
      lastProcessEndedMs,
      requests: stats.requests,
      throttled: stats.throttled,
      otherErrorAnswers: otherErrorAnswers(stats),
      serverErrors: stats.serverErrors,
      commandsSent: stats.commandsSent,
      processesRun: stats.commandsRun,
      maxConcurrentProcesses: stats.maxConcurrentObserved,
      logs: logs.counts,
      outcomes: statusCounts(outcomes),
      probesDecoded: hosts.filter((h) => h.probe.ok).length,
      probesFailed: hosts.filter((h) => !h.probe.ok).length,
      notFullyAudited: report.instances.filter((i) => i.error !== undefined).length,
      findings: pickStatusCounts(report),
      findingsTotal: report.results.length,
      clusters: report.summary.clusters,
      reportBytes: Buffer.byteLength(json),
      problems: sumOf(stats.requests) === 0 ? [...problems, 'the endpoint counted no requests'] : problems,
    };
  } finally {
    // Idempotent: also runs after the timed close, and on failure.
    await closeAll(endpoint, clients.ssm);
    timer.stop();
  }
}

async function closeAll(endpoint: { close(): Promise<void> }, ssm: unknown): Promise<void> {
  if (ssm instanceof SdkSsmApi) ssm.destroy();
  await endpoint.close();
}

/** Error answers that were neither injected throttling nor injected 500s (e.g. InvocationDoesNotExist). */
function otherErrorAnswers(stats: EndpointStats): Record<string, number> {
  const other: Record<string, number> = {};
  for (const [operation, count] of Object.entries(stats.errors)) {
    const rest = count - (stats.throttled[operation] ?? 0) - (stats.serverErrors[operation] ?? 0);
    if (rest > 0) other[operation] = rest;
  }
  return other;
}

function statusCounts(outcomes: ReadonlyMap<string, CommandOutcome>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes.values()) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  return counts;
}

function pickStatusCounts(report: AuditReport): VariantFigures['findings'] {
  const { PASS, FAIL, WARN, ERROR, NOT_APPLICABLE } = report.summary;
  return { PASS, FAIL, WARN, ERROR, NOT_APPLICABLE };
}
