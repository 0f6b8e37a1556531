/** Runs one planned script: fetches its inputs first (validated), then the script with them exported. */
import { ToolError } from '../errors.js';
import type { CommandOutcome } from '../fleet/outcome.js';
import { CHECK_TIMEOUT_MS } from './builders/scripts.js';
import type { RemoteScript } from './plan.js';
import { envName, shQuote } from './quote.js';
import { describeFailure, succeeded, type RemoteShell } from './remote-shell.js';
import { redactSecrets } from '../util/redact.js';

async function resolveInputs(shell: RemoteShell, script: RemoteScript): Promise<string> {
  const assignments: string[] = [];
  for (const input of script.inputs ?? []) {
    const out = await shell.run(input.instanceId, input.script, { timeoutMs: CHECK_TIMEOUT_MS });
    if (!succeeded(out)) throw new ToolError('InputFailed', `fetching $${input.name} on ${input.instanceId} failed: ${describeFailure(out)}`);
    const value = out.stdout.trim();
    if (!new RegExp(input.pattern).test(value)) {
      throw new ToolError('InputInvalid', `$${input.name} fetched on ${input.instanceId} does not match ${input.pattern}; refusing to use it`);
    }
    assignments.push(`${envName(input.name)}=${shQuote(value)}`);
  }
  return assignments.length ? `${assignments.join('\n')}\n` : '';
}

/** The script's text carries the fetched values: an error that quotes it (an AWS validation message) is redacted before anyone journals or logs it. */
export async function runRemoteScript(shell: RemoteShell, script: RemoteScript): Promise<CommandOutcome> {
  const prefix = await resolveInputs(shell, script);
  try {
    return await shell.run(script.instanceId, `${prefix}${script.script}`, { timeoutMs: script.timeoutMs });
  } catch (err) {
    throw withSecretsRedacted(err);
  }
}

/** Same error object (its class and code decide exit codes), message and stack redacted. */
function withSecretsRedacted(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  err.message = redactSecrets(err.message);
  if (err.stack) err.stack = redactSecrets(err.stack);
  return err;
}
