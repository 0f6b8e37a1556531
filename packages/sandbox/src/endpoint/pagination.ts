/**
 * Opaque NextToken: the offset plus a fingerprint of the query it belongs to,
 * so a token replayed with other filters is rejected like AWS does.
 */
import { createHash } from 'node:crypto';
import { ServiceError } from './service-error.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function paginate<T>(
  all: readonly T[],
  maxResults: number,
  nextToken: string | undefined,
  queryKey: string,
  invalidTokenCode: string,
): Page<T> {
  const offset = nextToken === undefined ? 0 : decodeToken(nextToken, queryKey, invalidTokenCode);
  const items = all.slice(offset, offset + maxResults);
  const end = offset + items.length;
  return end < all.length ? { items, nextToken: encodeToken(end, queryKey) } : { items };
}

function fingerprint(queryKey: string): string {
  return createHash('sha256').update(queryKey).digest('hex').slice(0, 16);
}

export function encodeToken(offset: number, queryKey: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: fingerprint(queryKey) })).toString('base64');
}

function decodeToken(token: string, queryKey: string, code: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown; q?: unknown };
    if (Number.isInteger(parsed.o) && (parsed.o as number) >= 0 && parsed.q === fingerprint(queryKey)) return parsed.o as number;
  } catch {
    // fall through: same answer as a well-formed but foreign token
  }
  throw new ServiceError(code, 'The specified pagination token is not valid.');
}
