/**
 * A tag query that selects nothing to look at is not a pass: a typo in
 * `--tag Swarm=prdo` would otherwise print an empty report and exit 0.
 * `allowEmpty` (the CLI's --allow-empty) accepts it on purpose, e.g. for a
 * pipeline that runs before the fleet exists.
 */
import { NothingToAuditError } from '../errors.js';
import type { FleetInstance } from './instance.js';
import type { TagQuery } from './tag-query.js';

export interface FleetScope {
  query: TagQuery;
  region: string;
  allowEmpty: boolean;
}

/** Throws NothingToAuditError when no instance matched, unless allowEmpty. */
export function assertSomethingMatched(fleet: readonly FleetInstance[], scope: FleetScope): void {
  if (fleet.length > 0 || scope.allowEmpty) return;
  throw new NothingToAuditError('NoInstanceMatched', `no instance matched ${describeQuery(scope.query)} in ${scope.region}`);
}

/** Throws NothingToAuditError when instances matched but none can be sent a command, unless allowEmpty. */
export function assertSomethingAuditable(fleet: readonly FleetInstance[], scope: FleetScope): void {
  assertSomethingMatched(fleet, scope);
  if (scope.allowEmpty || fleet.length === 0 || fleet.some((i) => i.reachable)) return;
  throw new NothingToAuditError(
    'NoInstanceAuditable',
    `${fleet.length === 1 ? 'the 1 instance' : `all ${fleet.length} instances`} matching ${describeQuery(scope.query)} in ${scope.region} ` +
      `${fleet.length === 1 ? 'was' : 'were'} skipped, none could be audited: ${reasonCounts(fleet)}`,
  );
}

/** "tag Swarm=prod,staging and tag-key Role": the query as the operator typed it. */
function describeQuery(query: TagQuery): string {
  const parts = [
    ...query.tags.map((t) => `tag ${t.key}=${t.values.join(',')}`),
    ...query.tagKeys.map((k) => `tag-key ${k}`),
  ];
  return parts.join(' and ');
}

/** "2 x instance is stopped: nothing runs to audit; 1 x SSM agent ConnectionLost", most frequent first. */
function reasonCounts(fleet: readonly FleetInstance[]): string {
  const counts = new Map<string, number>();
  for (const instance of fleet) {
    const reason = instance.unreachableReason ?? 'not reachable';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, n]) => `${n} x ${reason}`)
    .join('; ');
}
