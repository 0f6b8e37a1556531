import { UsageError } from '../errors.js';
import { overlayEncryption } from './overlay-encryption/index.js';
import { swarmListenAddress } from './swarm-listen-address/index.js';
import { swarmPublishedPorts } from './swarm-published-ports/index.js';
import type { Check } from './types.js';

/** Every check, in report order. A check folder without its line here fails test/checks/registry.test.ts. */
export const allChecks: readonly Check[] = [swarmListenAddress, swarmPublishedPorts, overlayEncryption];

/** The checks named by `ids` (all when undefined or empty), in registry order; unknown ids are a usage error. */
export function selectChecks(ids: string[] | undefined): Check[] {
  if (!ids || ids.length === 0) return [...allChecks];
  const known = new Set(allChecks.map((check) => check.meta.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown check ${unknown.map((id) => `"${id}"`).join(', ')}; valid checks: ${[...known].join(', ')}`,
      'UnknownCheck',
    );
  }
  const wanted = new Set(ids);
  return allChecks.filter((check) => wanted.has(check.meta.id));
}
