import { allPages } from '../../src/aws/all-pages.js';

describe('allPages', () => {
  test('follows NextToken to the last page, treating an empty token as the end', async () => {
    const pages: Record<string, { items: number[]; nextToken?: string }> = {
      start: { items: [1, 2], nextToken: 'b' },
      b: { items: [3], nextToken: 'c' },
      c: { items: [], nextToken: '' },
    };
    const asked: (string | undefined)[] = [];
    const items = await allPages('Op', async (token) => {
      asked.push(token);
      return pages[token ?? 'start'];
    });
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });

  test('a token seen twice is a PaginationLoop error naming the operation', async () => {
    let n = 0;
    await expect(allPages('DescribeThings', async () => ({ items: [n++], nextToken: n % 2 ? 'x' : 'y' }))).rejects.toMatchObject({
      code: 'PaginationLoop',
      message: 'DescribeThings returned NextToken x twice',
    });
  });
});
