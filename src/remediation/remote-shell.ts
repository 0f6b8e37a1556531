/**
 * How remediation runs a script on one instance. In production that is SSM
 * Run Command through the fleet runner (AWS-RunShellScript); the interface is
 * narrow so the executors never know which.
 */
import type { Logger } from 'pino';
import type { SsmApi } from '../aws/ssm-api.js';
import type { CommandOutcome } from '../fleet/outcome.js';
import { runCommand } from '../fleet/runner.js';
import { redactSecrets } from '../util/redact.js';

export interface RemoteShell {
  run(instanceId: string, script: string, opts?: { timeoutMs?: number }): Promise<CommandOutcome>;
}

const DEFAULT_STEP_TIMEOUT_MS = 300_000;

export function ssmRemoteShell(deps: { ssm: SsmApi; logger?: Logger }, defaults: { timeoutMs?: number; pollIntervalMs?: number } = {}): RemoteShell {
  return {
    async run(instanceId, script, opts) {
      const timeoutMs = opts?.timeoutMs ?? defaults.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
      const outcomes = await runCommand(
        deps,
        [instanceId],
        { kind: 'shell', commands: [script], executionTimeoutSeconds: Math.ceil(timeoutMs / 1000), comment: 'swarm-audit remediation step' },
        { concurrency: 1, timeoutMs: timeoutMs + 30_000, pollIntervalMs: defaults.pollIntervalMs ?? 500, maxPollIntervalMs: 2_000 },
      );
      return outcomes.get(instanceId) ?? notRun(instanceId, 'the runner returned no outcome');
    },
  };
}

function notRun(instanceId: string, error: string): CommandOutcome {
  return { instanceId, status: 'NotSent', responseCode: -1, stdout: '', stderr: '', stdoutComplete: true, error };
}

export function succeeded(o: CommandOutcome): boolean {
  return o.status === 'Success' && o.responseCode === 0;
}

/** One line on why a command did not succeed, for journals and errors; join tokens in the output are redacted. */
export function describeFailure(o: CommandOutcome): string {
  const stderr = o.stderr.trim().split('\n').slice(-3).join(' | ');
  return redactSecrets(`${o.status}${o.statusDetails ? `/${o.statusDetails}` : ''} exit ${o.responseCode}${o.error ? `: ${o.error}` : ''}${stderr ? `: ${stderr}` : ''}`);
}
