import { chooseFreeSubnet, firstHost } from '../../src/remediation/subnet.js';

test('the next free block of the same size, skipping networks and node addresses', () => {
  expect(chooseFreeSubnet('10.0.1.0/24', ['10.0.1.0/24', '10.0.2.0/24'], ['10.0.3.5'])).toBe('10.0.4.0/24');
  expect(chooseFreeSubnet('10.77.202.32/28', ['10.77.202.32/28', '10.77.202.48/28'], [])).toBe('10.77.202.64/28');
  expect(chooseFreeSubnet('10.0.0.0/16', ['10.0.0.0/16', '10.1.0.0/17'], [])).toBe('10.2.0.0/16');
  expect(firstHost('10.0.4.0/24')).toBe('10.0.4.1');
});

test('outside 10/8 it starts at the pool', () => {
  expect(chooseFreeSubnet('192.168.5.0/24', ['10.0.1.0/24'], [])).toBe('10.0.0.0/24');
});
