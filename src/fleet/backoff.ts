/**
 * Our own retry loop for AWS calls, on top of the SDK's: exponential backoff
 * with full jitter. Fleet-scale code must not lean on SDK retries alone (one
 * client shares a retry quota of 500 tokens, so a throttling storm empties it).
 */
import type { Clock } from './clock.js';

export interface BackoffPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

export interface BackoffOptions {
  clock: Clock;
  policy: BackoffPolicy;
  shouldRetry: (err: unknown) => boolean;
  /** Stop retrying (the last error is thrown) once this aborts. */
  signal?: AbortSignal;
  random?: () => number;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export async function withBackoff<T>(call: () => Promise<T>, opts: BackoffOptions): Promise<T> {
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= opts.policy.maxAttempts || !opts.shouldRetry(err) || opts.signal?.aborted) throw err;
      const delayMs = backoffDelay(attempt, opts.policy, random);
      opts.onRetry?.(err, attempt, delayMs);
      await opts.clock.sleep(delayMs, opts.signal);
      if (opts.signal?.aborted) throw err;
    }
  }
}

/** Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))], never below a small floor. */
function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.max(policy.baseMs / 4, Math.round(random() * ceiling));
}
