import { encodeToken, paginate } from '../../../packages/sandbox/src/endpoint/pagination.js';

const items = Array.from({ length: 12 }, (_, i) => i);

describe('paginate', () => {
  it('walks all items exactly once in pages of maxResults', () => {
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = paginate(items, 5, token, 'q', 'InvalidNextToken');
      seen.push(...page.items);
      token = page.nextToken;
      pages += 1;
    } while (token);
    expect(seen).toEqual(items);
    expect(pages).toBe(3);
  });

  it('omits nextToken on the last page', () => {
    expect(paginate(items, 50, undefined, 'q', 'X').nextToken).toBeUndefined();
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['a token of another query', encodeToken(5, 'other')],
    ['a negative offset', Buffer.from(JSON.stringify({ o: -1, q: 'x' })).toString('base64')],
  ])('rejects %s with the given code', (_name, token) => {
    expect(() => paginate(items, 5, token, 'q', 'InvalidPaginationToken')).toThrow(
      expect.objectContaining({ code: 'InvalidPaginationToken' }),
    );
  });
});
