import { execFileSync } from 'node:child_process';
import { posixCksum } from '../../src/probe/cksum.js';

describe('posixCksum', () => {
  test.each([
    ['', 4294967295],
    ['a', 1220704766],
    ['hi\n', 1479881546],
    // the catalogue check string; cksum appends the length, so not 0x765e7680
    ['123456789', 930766865],
  ])('cksum of %j is %d', (text, expected) => {
    expect(posixCksum(Buffer.from(text))).toBe(expected);
  });

  test('matches the system cksum on random data of many lengths', () => {
    for (const length of [1, 255, 256, 257, 4096, 65537]) {
      const data = Buffer.alloc(length);
      for (let i = 0; i < length; i++) data[i] = (i * 7919 + length) & 0xff;
      const [crc, size] = execFileSync('cksum', { input: data }).toString().trim().split(/\s+/);
      expect(posixCksum(data)).toBe(Number(crc));
      expect(Number(size)).toBe(length);
    }
  });
});
