/**
 * Resolves SendCommand / CreateAssociation Targets to managed instances:
 * AND across keys, OR across values; keys tag:K, tag-key, InstanceIds.
 */
import { ServiceError } from '../service-error.js';
import { isManaged, type FleetIndex } from '../fleet-index.js';
import type { JsonInput } from './input.js';

export interface Target {
  Key: string;
  Values: string[];
}

export function readTargets(list: JsonInput[] | undefined): Target[] | undefined {
  return list?.map((t) => ({
    Key: t.string('Key', { required: true, min: 1, max: 163 })!,
    Values: t.stringList('Values', { max: 50 }) ?? [],
  }));
}

export function resolveTargets(fleet: FleetIndex, targets: Target[]): string[] {
  const matchers = targets.map(matcherFor);
  return fleet.instances
    .filter((instance) => isManaged(instance) && matchers.every((m) => m(instance.instanceId, instance.tags ?? {})))
    .map((instance) => instance.instanceId);
}

function matcherFor(target: Target): (id: string, tags: Record<string, string>) => boolean {
  if (target.Values.length === 0) throw new ServiceError('InvalidParameters', `Target ${target.Key} needs at least one value.`);
  if (target.Key === 'InstanceIds') return (id) => target.Values.includes(id);
  if (target.Key === 'tag-key') return (_id, tags) => target.Values.some((k) => k in tags);
  if (target.Key.startsWith('tag:') && target.Key.length > 4) {
    const key = target.Key.slice(4);
    return (_id, tags) => key in tags && target.Values.includes(tags[key]);
  }
  throw new ServiceError('InvalidParameters', `Target key ${target.Key} is not supported (tag:KEY, tag-key, InstanceIds).`);
}
