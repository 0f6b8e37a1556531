import { parseProcLine, parseSsLine } from '../../src/probe/listeners.js';

describe('ss lines', () => {
  test.each([
    ['tcp 10.77.201.11:2377', { protocol: 'tcp', address: '10.77.201.11', port: 2377, wildcard: false }],
    ['udp 0.0.0.0:4789', { protocol: 'udp', address: '0.0.0.0', port: 4789, wildcard: true }],
    ['tcp *:7946', { protocol: 'tcp', address: '*', port: 7946, wildcard: true }],
    ['tcp [::]:2377', { protocol: 'tcp', address: '::', port: 2377, wildcard: true }],
    ['tcp [::ffff:10.0.0.5]:2377', { protocol: 'tcp', address: '::ffff:10.0.0.5', port: 2377, wildcard: false }],
    ['udp 10.0.0.5%eth0:7946', { protocol: 'udp', address: '10.0.0.5', port: 7946, wildcard: false }],
    ['tcp [fe80::1%eth0]:7946', { protocol: 'tcp', address: 'fe80::1', port: 7946, wildcard: false }],
  ])('%s', (line, expected) => {
    expect(parseSsLine(line)).toEqual(expected);
  });

  test.each(['sctp 10.0.0.5:2377', 'tcp 10.0.0.5:22', 'tcp 10.0.0.5', 'tcp x:2377', 'tcp 10.0.0.5:2377 extra'])('rejects %j', (line) => {
    expect(() => parseSsLine(line)).toThrow();
  });
});

describe('/proc/net lines', () => {
  test.each([
    ['tcp 0BC94D0A:0949 0A', { protocol: 'tcp', address: '10.77.201.11', port: 2377, wildcard: false }],
    ['udp 00000000:12B5 07', { protocol: 'udp', address: '0.0.0.0', port: 4789, wildcard: true }],
    ['tcp6 00000000000000000000000000000000:1F0A 0A', { protocol: 'tcp', address: '::', port: 7946, wildcard: true }],
    ['tcp6 0000000000000000FFFF00000BC94D0A:0949 0A', { protocol: 'tcp', address: '::ffff:10.77.201.11', port: 2377, wildcard: false }],
    ['udp6 000080FE00000000FF005452123456FE:1F0A 07', { protocol: 'udp', address: 'fe80::5254:ff:fe56:3412', port: 7946, wildcard: false }],
    ['tcp6 B80D0120000000000000000001000000:0949 0A', { protocol: 'tcp', address: '2001:db8::1', port: 2377, wildcard: false }],
  ])('%s', (line, expected) => {
    expect(parseProcLine(line)).toEqual(expected);
  });

  test('connections on swarm ports are not listeners', () => {
    expect(parseProcLine('tcp 0BC94D0A:0949 01')).toBeUndefined();
    expect(parseProcLine('udp 0BC94D0A:1F0A 01')).toBeUndefined();
  });

  test.each(['tcp 0BC94D0A:0016 0A', 'tcp6 0BC94D0A:0949 0A', 'raw 0BC94D0A:0949 0A', 'tcp 0bc94d0a:0949 0A'])('rejects %j', (line) => {
    expect(() => parseProcLine(line)).toThrow();
  });
});
