import { UsageError } from '../errors.js';
import { overlayEncryption } from './overlay-encryption/index.js';
import { swarmListenAddress } from './swarm-listen-address/index.js';
import { swarmPublishedPorts } from './swarm-published-ports/index.js';
import type { Check } from './types.js';

/** A list of checks the CLI can select from, validate config against and describe. */
export interface CheckRegistry {
  /** Every check, in report order (a copy: the registry itself cannot be changed). */
  readonly all: Check[];
  byId(id: string): Check | undefined;
  /** The checks named by `ids` (all when undefined or empty), in registry order; unknown ids are a usage error. */
  select(ids: readonly string[] | undefined): Check[];
}

export function createRegistry(checks: readonly Check[]): CheckRegistry {
  const byId = new Map<string, Check>();
  for (const check of checks) {
    if (byId.has(check.meta.id)) throw new Error(`check ${check.meta.id} is registered twice`);
    byId.set(check.meta.id, check);
  }
  const all = Object.freeze([...checks]);
  return {
    get all() {
      return [...all];
    },
    byId: (id) => byId.get(id),
    select(ids) {
      if (!ids || ids.length === 0) return [...all];
      const unknown = ids.filter((id) => !byId.has(id));
      if (unknown.length > 0) {
        throw new UsageError(
          `unknown check ${unknown.map((id) => `"${id}"`).join(', ')}; valid checks: ${[...byId.keys()].join(', ')}`,
          'UnknownCheck',
        );
      }
      const wanted = new Set(ids);
      return all.filter((check) => wanted.has(check.meta.id));
    },
  };
}

/**
 * The shipped checks, in report order: adding a check is its folder plus one
 * line here. A check folder without its line fails test/checks/registry.test.ts.
 */
export const checkRegistry = createRegistry([swarmListenAddress, swarmPublishedPorts, overlayEncryption]);

export const allChecks: readonly Check[] = checkRegistry.all;
