import { chunk } from '../../src/fleet/chunk.js';

describe('chunk', () => {
  it('puts each item in exactly one batch, in order, never the whole list in every batch', () => {
    const items = Array.from({ length: 120 }, (_, k) => `i-${k}`);
    const batches = chunk(items, 50);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches[0]).toEqual(items.slice(0, 50));
    expect(batches[1]).toEqual(items.slice(50, 100));
    expect(batches[2]).toEqual(items.slice(100));
    expect(batches.flat()).toEqual(items);
  });

  it('handles exact multiples, a single short batch and no items', () => {
    expect(chunk([1, 2, 3, 4], 2)).toEqual([[1, 2], [3, 4]]);
    expect(chunk([1], 50)).toEqual([[1]]);
    expect(chunk([], 50)).toEqual([]);
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });
});
