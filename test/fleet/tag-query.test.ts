import { UsageError } from '../../src/errors.js';
import { parseTagArgs } from '../../src/fleet/tag-query.js';

describe('parseTagArgs', () => {
  it('ANDs keys, ORs comma-separated values and merges a repeated key', () => {
    expect(parseTagArgs(['Swarm=prod', 'Role=manager,worker', 'Swarm=stage,prod'], ['Team'])).toEqual({
      tags: [
        { key: 'Swarm', values: ['prod', 'stage'] },
        { key: 'Role', values: ['manager', 'worker'] },
      ],
      tagKeys: ['Team'],
    });
  });

  it('keeps everything after the first = as the value and passes wildcards through', () => {
    expect(parseTagArgs(['k=a=b', 'Name=web-*'], []).tags).toEqual([
      { key: 'k', values: ['a=b'] },
      { key: 'Name', values: ['web-*'] },
    ]);
  });

  it('accepts --tag-key alone and deduplicates keys', () => {
    expect(parseTagArgs([], ['Swarm', 'Swarm'])).toEqual({ tags: [], tagKeys: ['Swarm'] });
  });

  it.each([
    [['Swarm'], /expected KEY=VALUE/],
    [['=prod'], /empty tag key/],
    [['Swarm='], /empty value/],
    [['Swarm=a,,b'], /empty value/],
    [[`k=${Array.from({ length: 51 }, (_, i) => `v${i}`).join(',')}`], /more than 50 values/],
    [[`${'k'.repeat(129)}=v`], /longer than 128/],
  ])('rejects %j', (tags, message) => {
    expect(() => parseTagArgs(tags, [])).toThrow(message);
    expect(() => parseTagArgs(tags, [])).toThrow(UsageError);
  });

  it('counts merged values of a repeated key against the limit', () => {
    const first = Array.from({ length: 30 }, (_, i) => `a${i}`).join(',');
    const second = Array.from({ length: 30 }, (_, i) => `b${i}`).join(',');
    expect(() => parseTagArgs([`k=${first}`, `k=${second}`], [])).toThrow(/more than 50 values/);
  });

  it('rejects an empty --tag-key', () => {
    expect(() => parseTagArgs([], [' '])).toThrow(/empty tag key/);
  });

  it('refuses a query without any filter: never the whole account', () => {
    expect(() => parseTagArgs([], [])).toThrow(expect.objectContaining({ code: 'NoTargetFilter' }));
  });
});
