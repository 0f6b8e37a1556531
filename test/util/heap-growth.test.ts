/**
 * The CLI's heap-growth setting yields to the operator's own: a growth or
 * old-space size given to node (arguments or NODE_OPTIONS) is left alone.
 */
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../src/util/heap-growth.js';

describe('heapGrowthFlag', () => {
  it('asks V8 to grow the heap by HEAP_GROWING_PERCENT when the operator set nothing', () => {
    expect(heapGrowthFlag([], undefined)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowthFlag(['--enable-source-maps'], '--no-warnings')).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it.each([
    [['--max-old-space-size=4096'], undefined],
    [['--heap-growing-percent=200'], undefined],
    [[], '--max_old_space_size=1024 --no-warnings'],
    [[], '--heap_growing_percent=10'],
  ])('leaves the heap alone when node was given %j / NODE_OPTIONS %j', (execArgv, nodeOptions) => {
    expect(heapGrowthFlag(execArgv, nodeOptions)).toBeUndefined();
  });
});
