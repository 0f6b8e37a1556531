/**
 * Targeted, deterministic SendCommand faults (`faults.failCommands` in the
 * fleet file): fail exactly the commands whose rendered scripts contain a
 * chosen text, a chosen number of times, so a test can fail step N of a
 * remediation and nothing else. Counters live per endpoint (per SsmContext).
 */
import type { CommandFault } from '../../fleet-file-types.js';
import { ServiceError } from '../service-error.js';
import type { SsmContext } from './context.js';
import type { RenderedStep } from './documents.js';
import { endUnrun, type Invocation } from './invocation.js';

export const INJECTED_FAILURE_MESSAGE = 'sandbox endpoint: injected fault (faults.failCommands)';

class CommandFaults {
  private readonly used: number[];

  constructor(private readonly rules: readonly CommandFault[]) {
    this.used = rules.map(() => 0);
  }

  /** The first rule whose text the command contains and that has failures left; consumes one of them. */
  take(steps: readonly RenderedStep[]): CommandFault | undefined {
    const text = steps.map((s) => s.script).join('\n');
    const index = this.rules.findIndex((rule, i) => text.includes(rule.match) && this.used[i] < (rule.times ?? 1));
    if (index < 0) return undefined;
    this.used[index] += 1;
    return this.rules[index];
  }
}

const perEndpoint = new WeakMap<SsmContext, CommandFaults>();

function faultsOf(ctx: SsmContext): CommandFaults {
  let faults = perEndpoint.get(ctx);
  if (!faults) {
    faults = new CommandFaults(ctx.fleet.fleet.faults?.failCommands ?? []);
    perEndpoint.set(ctx, faults);
  }
  return faults;
}

/**
 * Called by SendCommand once the command is validated and before anything
 * runs. Error kinds throw the answer AWS would give (nothing is created);
 * "Failed" returns the fault so the caller ends the invocations unrun.
 */
export function takeCommandFault(ctx: SsmContext, steps: readonly RenderedStep[]): CommandFault | undefined {
  const fault = faultsOf(ctx).take(steps);
  if (fault?.as === 'ThrottlingException') throw new ServiceError('ThrottlingException', 'Rate exceeded', 400);
  if (fault?.as === 'InternalServerError') throw new ServiceError('InternalServerError', 'An internal error occurred (injected fault).', 500);
  return fault;
}

/** An accepted command whose agent reports Failed without running anything (ResponseCode stays -1). */
export function failUnrun(invocation: Invocation): void {
  endUnrun(invocation, 'Failed', 'Failed');
  for (const plugin of invocation.plugins) plugin.stderrContent = INJECTED_FAILURE_MESSAGE;
}
