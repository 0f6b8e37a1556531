import type { JsonInput } from './input.js';

const QUERY_MEMBERS = ['CommandId', 'InstanceId', 'Details', 'Filters', 'InstanceInformationFilterList', 'ResourceIds', 'ResourceTypes'];

/** The request minus its paging members: a NextToken only fits the query that produced it. */
export function queryKey(operation: string, input: JsonInput): string {
  return `${operation}:${JSON.stringify(QUERY_MEMBERS.map((name) => input.raw(name) ?? null))}`;
}
