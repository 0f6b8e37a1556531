/**
 * `swarm-audit collect`: the audit's report from the latest State Manager run
 * of the association, read from S3, without sending any command. The same
 * discovery (the association's tag targets), decoder, checks and report as
 * `audit`; what differs is where each probe output comes from.
 *
 * Calls: ListAssociations + DescribeAssociation (the association by name),
 * DescribeAssociationExecutions (1), DescribeAssociationExecutionTargets
 * (1 per 50 instances), discovery (DescribeInstances pages,
 * DescribeInstanceInformation per 50), then per audited instance one
 * ListObjectsV2 and one GetObject (two for a failed run: its stderr too).
 */
import type { AssociationExecutionTarget } from '@aws-sdk/client-ssm';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { toHostInput } from '../audit/host-outcome.js';
import type { Ec2Api } from '../aws/ec2-api.js';
import type { S3Api } from '../aws/s3-api.js';
import type { SsmApi, SsmAssociationsApi } from '../aws/ssm-api.js';
import { isCredentialsError, isAccessDenied } from '../aws/aws-errors.js';
import type { AuditConfig, Check } from '../checks/types.js';
import { evaluateFleet } from '../engine/evaluate.js';
import type { HostInput } from '../engine/host-input.js';
import type { AuditReport } from '../engine/report-model.js';
import { UsageError } from '../errors.js';
import { discoverFleet } from '../fleet/discover.js';
import { assertSomethingAuditable } from '../fleet/fleet-scope.js';
import type { FleetInstance } from '../fleet/instance.js';
import type { CommandOutcome, InvocationStatus } from '../fleet/outcome.js';
import type { TagQuery } from '../fleet/tag-query.js';
import { tagQueryOf } from '../schedule/association-targets.js';
import { describeAssociation, findAssociationId } from '../schedule/find-association.js';
import { latestRun, type LatestRun } from './latest-run.js';
import { describeLocation, readRunOutput, type RunOutputLocation } from './run-output.js';

export interface CollectDeps {
  ssm: SsmApi & SsmAssociationsApi;
  ec2: Ec2Api;
  s3: S3Api;
  logger: Logger;
  region?: string;
  now?: () => Date;
}

export interface CollectOptions {
  associationName: string;
  /** Read the outputs here instead of the association's OutputLocation. */
  bucket?: string;
  prefix?: string;
  checks: Check[];
  config: AuditConfig;
  concurrency: number;
  allowEmpty: boolean;
}

export interface CollectRun {
  report: AuditReport;
  instances: FleetInstance[];
  query: TagQuery;
  executionId: string;
}

/** Statuses a target ends in; before that its run has no output to read. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);

export async function collectAudit(deps: CollectDeps, options: CollectOptions): Promise<CollectRun> {
  const associationId = await findAssociationId(deps.ssm, options.associationName);
  if (associationId === undefined) {
    throw new UsageError(`no association named ${options.associationName} in ${deps.region ?? 'this region'}: create it with swarm-audit schedule`, 'AssociationDoesNotExist');
  }
  const association = await describeAssociation(deps.ssm, associationId);
  const query = tagQueryOf(association.Targets ?? [], options.associationName);
  const bucket = options.bucket ?? association.OutputLocation?.S3Location?.OutputS3BucketName;
  if (bucket === undefined) {
    throw new UsageError(`association ${options.associationName} writes no output to S3 and no --bucket was given: schedule it with --output-s3-bucket`, 'NoOutputLocation');
  }
  const prefix = options.prefix ?? association.OutputLocation?.S3Location?.OutputS3KeyPrefix ?? '';
  const run = await latestRun(deps.ssm, associationId, options.associationName);
  deps.logger.info({ association: options.associationName, executionId: run.executionId, createdAt: run.createdAt.toISOString(), status: run.status, targets: run.targets.size }, 'latest association run');

  const instances = await discoverFleet(deps, query);
  assertSomethingAuditable(instances, { query, region: deps.region ?? 'the configured region', allowEmpty: options.allowEmpty });
  const limit = pLimit(options.concurrency);
  const where = (instanceId: string): RunOutputLocation => ({ bucket, prefix, associationId, instanceId, notBefore: run.createdAt });
  const hosts = await Promise.all(instances.map((instance) => limit(() => hostInput(deps.s3, instance, run, where(instance.instanceId)))));
  const report = evaluateFleet({ hosts, checks: options.checks, config: options.config, startedAt: run.createdAt, finishedAt: lastTargetRun(run) });
  return { report, instances, query, executionId: run.executionId };
}

async function hostInput(s3: S3Api, instance: FleetInstance, run: LatestRun, location: RunOutputLocation): Promise<HostInput> {
  if (!instance.reachable) return toHostInput(instance, undefined);
  const target = run.targets.get(instance.instanceId);
  const execution = `execution ${run.executionId} started ${run.createdAt.toISOString()}`;
  if (!target) return failed(instance, `not targeted by the association's latest run (${execution}): tagged or registered since, or its agent did not report`);
  const status = target.Status ?? 'unknown';
  if (!FINAL_STATUSES.has(status)) return failed(instance, `no output: the association's run here is still ${status} (${execution})`);
  try {
    const output = await readRunOutput(s3, location, status !== 'Success');
    if (!output) return failed(instance, `no probe output at ${describeLocation(location)} from this run (${execution}; target ${status}); older outputs are not used`);
    return toHostInput(instance, outcomeOf(instance.instanceId, target, output.stdout, output.stderr));
  } catch (err) {
    if (isCredentialsError(err) || isAccessDenied(err)) throw err;
    return failed(instance, `probe output at ${describeLocation(location)} could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A finished target as the runner's outcome, so the audit's decoder and its failure wording apply unchanged. */
function outcomeOf(instanceId: string, target: AssociationExecutionTarget, stdout: string, stderr: string): CommandOutcome {
  return {
    instanceId,
    ...(target.OutputSource?.OutputSourceId ? { commandId: target.OutputSource.OutputSourceId } : {}),
    status: target.Status as InvocationStatus,
    ...(target.DetailedStatus ? { statusDetails: target.DetailedStatus } : {}),
    responseCode: -1, // State Manager reports no exit code
    stdout,
    stderr,
    // S3 holds the whole stream: nothing of it was cut
    stdoutComplete: true,
  };
}

function failed(instance: FleetInstance, message: string): HostInput {
  return { instance, probe: { ok: false, status: 'ERROR', message } };
}

/** When the run's state was last observed: its last target's report, else its start. */
function lastTargetRun(run: LatestRun): Date {
  const times = [...run.targets.values()].map((t) => t.LastExecutionDate?.getTime() ?? 0);
  return new Date(Math.max(run.createdAt.getTime(), ...times));
}
