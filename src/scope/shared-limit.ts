/**
 * One limit for every scope: each call a scope's client makes waits for a
 * slot of the same p-limit, so N scopes with --concurrency C still have at
 * most C AWS calls in flight, not N x C.
 */
import type { LimitFunction } from 'p-limit';

/** `api` with each method call run through `limit`; other properties are passed through. */
export function throughLimit<T extends object>(api: T, limit: LimitFunction): T {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => limit(() => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}
