/**
 * Plays State Manager: runs an association's document on its targets when it
 * is created or updated (unless ApplyOnlyAtCronInterval) and then on every
 * tick of its rate, through the same executor SendCommand uses (real `sh` in
 * the instance's namespace, or the recorded answer). With an OutputLocation,
 * each step's streams go to the sandbox S3 where the agent uploads an
 * association's: `<prefix>/<instance-id>/<association-id>/<run-id>/awsrunShellScript/<step>/stdout`,
 * the run id being the agent's start time as `2006-01-02T15-04-05.000Z`
 * (amazon-ssm-agent, association parser InitializeDocumentState; docs/ssm.md).
 *
 * cron() and at() schedules run on create/update only, unless the endpoint's
 * `associationIntervalMs` (tests) makes every association tick that often.
 */
import { randomUUID } from 'node:crypto';
import { parseScheduleExpression } from '../../../../../src/schedule/schedule-expression.js';
import { stepOutputKey } from '../s3/object-store.js';
import type { SsmContext } from './context.js';
import { renderSteps } from './documents.js';
import type { StepOutputSink } from './executor.js';
import { isTerminal, newInvocation } from './invocation.js';
import { latestVersion, type AssociationExecution, type AssociationRecord, type S3OutputLocation } from './associations-store.js';
import { resolveTargets } from './targets.js';

/** How long an offline agent's target stays Pending before DeliveryTimedOut (Run Command's default window). */
const DELIVERY_TIMEOUT_MS = 3_600_000;

export class AssociationRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    shutdown: AbortSignal,
    /** Overrides every association's interval (fleet file limits.associationIntervalMs). */
    private readonly intervalOverrideMs?: number,
  ) {
    shutdown.addEventListener('abort', () => this.stopAll(), { once: true });
  }

  /** After CreateAssociation / UpdateAssociation: run now (unless told to wait for the schedule), then tick. */
  started(ctx: SsmContext, record: AssociationRecord): void {
    this.stop(record.associationId);
    if (!latestVersion(record).applyOnlyAtCronInterval) this.runOnce(ctx, record);
    const everyMs = this.intervalOf(record);
    if (everyMs === undefined) return;
    const timer = setInterval(() => this.runOnce(ctx, record), everyMs);
    timer.unref();
    this.timers.set(record.associationId, timer);
  }

  /** After DeleteAssociation: no more ticks; targets still running are cancelled. */
  deleted(record: AssociationRecord): void {
    this.stop(record.associationId);
    for (const execution of record.executions) {
      for (const { invocation } of execution.targets.values()) if (!isTerminal(invocation.status)) invocation.cancel?.();
    }
  }

  runOnce(ctx: SsmContext, record: AssociationRecord): AssociationExecution {
    const version = latestVersion(record);
    const document = ctx.documents.get(version.name);
    const steps = renderSteps(ctx.documents.version(document, version.documentVersion), version.parameters);
    const execution: AssociationExecution = { executionId: randomUUID(), associationVersion: version.version, createdAt: Date.now(), targets: new Map() };
    record.executions.push(execution);
    const instanceIds = version.instanceId !== undefined ? [version.instanceId] : resolveTargets(ctx.fleet, version.targets);
    for (const instanceId of instanceIds) {
      const invocation = newInvocation(instanceId, steps.map((s) => s.name));
      execution.targets.set(instanceId, { invocation, outputSourceId: randomUUID() });
      ctx.stats.invocationsCreated += 1;
      const sink = version.outputLocation ? associationUpload(ctx, version.outputLocation, record.associationId, instanceId) : undefined;
      ctx.executor.start(invocation, ctx.fleet.instance(instanceId), steps, DELIVERY_TIMEOUT_MS, sink);
    }
    return execution;
  }

  private intervalOf(record: AssociationRecord): number | undefined {
    if (this.intervalOverrideMs !== undefined) return this.intervalOverrideMs;
    const expression = latestVersion(record).scheduleExpression;
    if (expression === undefined) return undefined;
    const parsed = parseScheduleExpression(expression);
    return parsed.ok && parsed.schedule.kind === 'rate' ? parsed.schedule.everyMs : undefined;
  }

  private stop(associationId: string): void {
    clearInterval(this.timers.get(associationId));
    this.timers.delete(associationId);
  }

  private stopAll(): void {
    for (const id of [...this.timers.keys()]) this.stop(id);
  }
}

/** The agent's run id: its clock when the run starts, ISO 8601 with dashes for colons (times.ToIsoDashUTC). */
function runId(ms: number): string {
  return new Date(ms).toISOString().replace(/:/g, '-');
}

function associationUpload(ctx: SsmContext, location: S3OutputLocation, associationId: string, instanceId: string): StepOutputSink {
  const base = [location.OutputS3KeyPrefix, instanceId].filter((p) => p !== undefined && p !== '').join('/').replace(/\/+/g, '/');
  const run = runId(Date.now());
  return (stepIndex, stepName, result) => {
    for (const stream of ['stdout', 'stderr'] as const) {
      // stepOutputKey(prefix, A, B, ...) is `prefix/A/B/awsrunShellScript/<step>/<stream>`: here A/B = association/run
      const key = stepOutputKey(base, associationId, run, stepIndex, stepName, stream);
      ctx.objects.put(location.OutputS3BucketName, key, result[stream]);
    }
  };
}
