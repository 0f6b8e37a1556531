/**
 * The audit job: discover -> probe over SSM -> decode -> evaluate.
 * Knows neither the SDK (src/aws) nor Docker (src/probe); it only wires them.
 */
import type { Logger } from 'pino';
import type { Ec2Api } from '../aws/ec2-api.js';
import type { S3Api } from '../aws/s3-api.js';
import type { SsmApi } from '../aws/ssm-api.js';
import type { AuditConfig, Check } from '../checks/types.js';
import type { HostInput } from '../engine/host-input.js';
import { evaluateFleet } from '../engine/evaluate.js';
import type { AuditReport } from '../engine/report-model.js';
import { discoverFleet } from '../fleet/discover.js';
import { assertSomethingAuditable } from '../fleet/fleet-scope.js';
import type { FleetInstance } from '../fleet/instance.js';
import type { CommandOutcome, CommandSpec } from '../fleet/outcome.js';
import { runCommand } from '../fleet/runner.js';
import type { RunEvent } from '../fleet/run-events.js';
import { parseTagArgs } from '../fleet/tag-query.js';
import { PROBE_TIMEOUT_SECONDS, probeCommands } from '../probe/script.js';
import { decodeAll } from './host-outcome.js';

export interface AuditDeps {
  ssm: SsmApi;
  ec2: Ec2Api;
  /** Reads full probe outputs from --output-s3-bucket (a manager with hundreds of services). */
  s3?: S3Api;
  logger: Logger;
  /** Named in the error when the query selects nothing (AwsClients carries it). */
  region?: string;
  now?: () => Date;
}

export interface AuditOptions {
  tags: string[];
  tagKeys: string[];
  checks: Check[];
  config: AuditConfig;
  concurrency: number;
  timeoutMs: number;
  /** SSM's delivery window: an agent that has not picked the command up by then ends DeliveryTimedOut (ERROR). Default: the run's remaining time. */
  deliveryTimeoutSeconds?: number;
  /** Our own SSM document (documents/swarm-audit-probe.json) instead of AWS-RunShellScript. */
  documentName?: string;
  outputS3Bucket?: string;
  /** Accept a query that matches nothing, or nothing auditable (--allow-empty); otherwise NothingToAuditError. */
  allowEmpty?: boolean;
  /** Aborting it (SIGINT/SIGTERM) cancels the commands still running; their instances end ERROR with signal.reason. */
  signal?: AbortSignal;
  /** Told of each probe's progress (the CLI's progress line); see src/fleet/run-events.ts. */
  onProgress?: (event: RunEvent) => void;
}

export interface AuditRun {
  report: AuditReport;
  hosts: HostInput[];
  instances: FleetInstance[];
}

export async function runAudit(deps: AuditDeps, options: AuditOptions): Promise<AuditRun> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const query = parseTagArgs(options.tags, options.tagKeys);
  const instances = await discoverFleet(deps, query);
  assertSomethingAuditable(instances, { query, region: deps.region ?? 'the configured region', allowEmpty: options.allowEmpty ?? false });
  const hosts = await probeFleet(deps, instances, options);
  const report = evaluateFleet({ hosts, checks: options.checks, config: options.config, startedAt, finishedAt: now() });
  return { report, hosts, instances };
}

/** Probes the reachable instances of one discovered fleet (one scope) and decodes every instance's outcome. */
export async function probeFleet(
  deps: Pick<AuditDeps, 'ssm' | 's3' | 'logger'>,
  instances: FleetInstance[],
  options: Omit<AuditOptions, 'tags' | 'tagKeys' | 'checks' | 'config' | 'allowEmpty'>,
): Promise<HostInput[]> {
  const reachableIds = instances.filter((i) => i.reachable).map((i) => i.instanceId);
  const outcomes = reachableIds.length
    ? await runCommand(deps, reachableIds, probeSpec(options), {
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        deliveryTimeoutSeconds: options.deliveryTimeoutSeconds,
        outputS3Bucket: options.outputS3Bucket,
        comment: 'swarm-audit probe (read-only)',
        signal: options.signal,
        onProgress: options.onProgress,
      })
    : new Map<string, CommandOutcome>();
  return decodeAll(instances, outcomes);
}

function probeSpec(options: Pick<AuditOptions, 'documentName'>): CommandSpec {
  if (options.documentName) return { kind: 'document', documentName: options.documentName, parameters: {} };
  return { kind: 'shell', commands: probeCommands(), executionTimeoutSeconds: PROBE_TIMEOUT_SECONDS };
}
