import { execFileSync } from 'node:child_process';
import { UsageError } from '../../src/errors.js';
import { cidr, csvSafe, dockerId, dockerName, hostname, ipv4, ipv4Endpoint, shQuote } from '../../src/remediation/quote.js';

const HOSTILE = ['x;reboot', '$(id)', '`id`', "it's", 'a"b', 'a b', '-rf', '../etc', 'a|b', 'a&b', 'a>b', '*'];

describe('shQuote', () => {
  test.each(['plain', "it's", '$(id)', '`id`', 'a"b\\c', 'x;reboot', '*', "''", ' lead and trail '])('sh reads %j back verbatim', (value) => {
    const echoed = execFileSync('/bin/sh', ['-c', `printf %s ${shQuote(value)}`]).toString();
    expect(echoed).toBe(value);
  });

  test.each(['a\nreboot', 'a\rb', 'a\u0000b', 'tab\there', '\u001b[31m'])('refuses control characters in %j', (value) => {
    expect(() => shQuote(value)).toThrow(UsageError);
  });
});

describe('Docker names and values', () => {
  test.each(['web', 'my_net.1', 'a-b', 'A9'])('accepts %j', (name) => expect(dockerName(name)).toBe(name));
  test.each([...HOSTILE, '', '_x', '.x', 'a\nb'])('refuses hostile name %j', (name) => {
    expect(() => dockerName(name)).toThrow(expect.objectContaining({ code: 'UnsafeValue' }));
  });
  test('IDs: swarm base36 and hex', () => {
    expect(dockerId('yk92yrl5lm6by9cwhxf6zxyir')).toBe('yk92yrl5lm6by9cwhxf6zxyir');
    expect(dockerId('a'.repeat(64))).toBe('a'.repeat(64));
    expect(() => dockerId('$(id)')).toThrow(UsageError);
  });
  test('addresses', () => {
    expect(ipv4('10.0.0.1')).toBe('10.0.0.1');
    expect(() => ipv4('10.0.0.256')).toThrow(UsageError);
    expect(() => ipv4('10.0.0.1;id')).toThrow(UsageError);
    expect(ipv4Endpoint('10.0.0.1:2377')).toBe('10.0.0.1:2377');
    expect(() => ipv4Endpoint('10.0.0.1:99999')).toThrow(UsageError);
    expect(cidr('10.1.0.0/16')).toBe('10.1.0.0/16');
    expect(() => cidr('10.1.0.0/33')).toThrow(UsageError);
    expect(hostname('ip-10-0-0-1.ec2.internal')).toBe('ip-10-0-0-1.ec2.internal');
    expect(() => hostname('n1;reboot')).toThrow(UsageError);
  });
  test('csvSafe refuses what docker would re-parse', () => {
    expect(() => csvSafe('a,alias=evil', 'alias')).toThrow(UsageError);
    expect(() => csvSafe('a"b', 'alias')).toThrow(UsageError);
  });
});
