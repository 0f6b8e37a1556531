/**
 * Follows NextToken to the last page. A token seen twice, or more pages than
 * any real answer has, is a ToolError rather than an endless loop.
 */
import { ToolError } from '../errors.js';

export interface Page<T> {
  items: readonly T[];
  nextToken?: string;
}

const MAX_PAGES = 10_000;

export async function allPages<T>(operation: string, fetchPage: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await fetchPage(nextToken);
    items.push(...answer.items);
    nextToken = answer.nextToken || undefined;
    if (nextToken === undefined) return items;
    if (seenTokens.has(nextToken)) throw new ToolError('PaginationLoop', `${operation} returned NextToken ${nextToken} twice`);
    seenTokens.add(nextToken);
  }
  throw new ToolError('PaginationLoop', `${operation} returned more than ${MAX_PAGES} pages`);
}
