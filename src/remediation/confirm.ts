/** Confirmation policy: ask on a TTY unless --yes; without a TTY (CI) --yes is required. */
import { UsageError } from '../errors.js';
import type { Plan } from './plan.js';

export type Confirm = (plan: Plan) => Promise<boolean>;

export function confirmationPolicy(opts: { yes: boolean; interactive: boolean; ask: (question: string) => Promise<boolean> }): Confirm {
  return async (plan) => {
    if (opts.yes) return true;
    if (!opts.interactive) {
      throw new UsageError('remediate --apply changes live clusters: pass --yes to confirm when not running on a terminal', 'ConfirmationRequired');
    }
    const steps = plan.clusters.reduce((n, c) => n + c.steps.length, 0);
    return opts.ask(`Apply ${steps} steps to ${plan.clusters.length} clusters? [y/N] `);
  };
}
