import { parseProcLine, parseSsLine } from '../../src/probe/listeners.js';

describe('ss lines (netid=<tcp|udp> local=<address:port>)', () => {
  test.each([
    ['netid=tcp local=10.77.201.11:2377', { protocol: 'tcp', address: '10.77.201.11', port: 2377, wildcard: false }],
    ['netid=udp local=0.0.0.0:4789', { protocol: 'udp', address: '0.0.0.0', port: 4789, wildcard: true }],
    ['netid=tcp local=*:7946', { protocol: 'tcp', address: '*', port: 7946, wildcard: true }],
    ['netid=tcp local=[::]:2377', { protocol: 'tcp', address: '::', port: 2377, wildcard: true }],
    ['netid=tcp local=[::ffff:10.0.0.5]:2377', { protocol: 'tcp', address: '::ffff:10.0.0.5', port: 2377, wildcard: false }],
    ['netid=udp local=10.0.0.5%eth0:7946', { protocol: 'udp', address: '10.0.0.5', port: 7946, wildcard: false }],
    ['netid=tcp local=[fe80::1%eth0]:7946', { protocol: 'tcp', address: 'fe80::1', port: 7946, wildcard: false }],
  ])('%s', (line, expected) => {
    expect(parseSsLine(line)).toEqual(expected);
  });

  test('keys are read by name: order does not matter and a key a newer probe adds is ignored', () => {
    const expected = parseSsLine('netid=tcp local=10.0.0.5:2377');
    expect(parseSsLine('local=10.0.0.5:2377 netid=tcp')).toEqual(expected);
    expect(parseSsLine('netid=tcp local=10.0.0.5:2377 process=dockerd')).toEqual(expected);
  });

  test.each([
    ['netid=sctp local=10.0.0.5:2377', /netid: unexpected value "sctp"/],
    ['netid=tcp local=10.0.0.5:22', /unexpected port 22/],
    ['netid=tcp local=10.0.0.5', /unexpected port/],
    ['netid=tcp local=x:2377', /bad address/],
    ['netid=tcp', /listeners-ss record has no field "local" \(required\)/],
    ['netid=tcp local=10.0.0.5:2377 netid=udp', /key netid appears twice/],
    ['tcp 10.0.0.5:2377', /expected key=value/],
  ])('rejects %j', (line, message) => {
    expect(() => parseSsLine(line)).toThrow(message);
  });
});

describe('/proc/net lines (file=<tcp|tcp6|udp|udp6> local=<hex address:port> st=<hex state>)', () => {
  test.each([
    ['file=tcp local=0BC94D0A:0949 st=0A', { protocol: 'tcp', address: '10.77.201.11', port: 2377, wildcard: false }],
    ['file=udp local=00000000:12B5 st=07', { protocol: 'udp', address: '0.0.0.0', port: 4789, wildcard: true }],
    ['file=tcp6 local=00000000000000000000000000000000:1F0A st=0A', { protocol: 'tcp', address: '::', port: 7946, wildcard: true }],
    ['file=tcp6 local=0000000000000000FFFF00000BC94D0A:0949 st=0A', { protocol: 'tcp', address: '::ffff:10.77.201.11', port: 2377, wildcard: false }],
    ['file=udp6 local=000080FE00000000FF005452123456FE:1F0A st=07', { protocol: 'udp', address: 'fe80::5254:ff:fe56:3412', port: 7946, wildcard: false }],
    ['file=tcp6 local=B80D0120000000000000000001000000:0949 st=0A', { protocol: 'tcp', address: '2001:db8::1', port: 2377, wildcard: false }],
  ])('%s', (line, expected) => {
    expect(parseProcLine(line)).toEqual(expected);
  });

  test('connections on swarm ports are not listeners', () => {
    expect(parseProcLine('file=tcp local=0BC94D0A:0949 st=01')).toBeUndefined();
    expect(parseProcLine('file=udp local=0BC94D0A:1F0A st=01')).toBeUndefined();
  });

  test.each([
    'file=tcp local=0BC94D0A:0016 st=0A',
    'file=tcp6 local=0BC94D0A:0949 st=0A',
    'file=raw local=0BC94D0A:0949 st=0A',
    'file=tcp local=0bc94d0a:0949 st=0A',
    'file=tcp local=0BC94D0A:0949',
    'tcp 0BC94D0A:0949 0A',
  ])('rejects %j', (line) => {
    expect(() => parseProcLine(line)).toThrow();
  });
});
