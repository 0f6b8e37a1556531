import type { Finding } from '../checks/types.js';
import { compareText } from './cluster-membership.js';

/**
 * Deterministic report order: by scope (account, region), cluster (unknown last), instance, check
 * (in the order checks were selected), resource type and id, then status.
 */
export function compareFindings(checkOrder: readonly string[]): (a: Finding, b: Finding) => number {
  const rank = (id: string) => {
    const index = checkOrder.indexOf(id);
    return index < 0 ? checkOrder.length : index;
  };
  return (a, b) =>
    compareOptional(a.accountId, b.accountId) ||
    compareOptional(a.region, b.region) ||
    compareOptional(a.clusterId, b.clusterId) ||
    compareText(a.instanceId, b.instanceId) ||
    rank(a.checkId) - rank(b.checkId) ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.resource.type, b.resource.type) ||
    compareText(a.resource.id, b.resource.id) ||
    compareText(a.status, b.status) ||
    compareText(a.message, b.message);
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return compareText(a, b);
}
