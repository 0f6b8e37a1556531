/** NO_PROXY read as curl and the AWS CLI read it (src/aws/no-proxy.ts). */
import { noProxyMatcher } from '../../src/aws/no-proxy.js';

const bypasses = (noProxy: string | undefined, host: string, port = 443) => noProxyMatcher(noProxy)(host, port);

describe('NO_PROXY', () => {
  it('unset or empty: every host goes through the proxy', () => {
    expect(bypasses(undefined, 'ssm.us-east-1.amazonaws.com')).toBe(false);
    expect(bypasses('', '127.0.0.1')).toBe(false);
    expect(bypasses(' , ', '127.0.0.1')).toBe(false);
  });

  it('* alone bypasses the proxy for every host', () => {
    expect(bypasses('*', 'ssm.us-east-1.amazonaws.com')).toBe(true);
    expect(bypasses('example.com,*', '10.1.2.3', 80)).toBe(true);
  });

  it('a domain matches itself and its subdomains, with or without a leading dot, never a longer name', () => {
    expect(bypasses('amazonaws.com', 'amazonaws.com')).toBe(true);
    expect(bypasses('amazonaws.com', 'ssm.us-east-1.amazonaws.com')).toBe(true);
    expect(bypasses('.amazonaws.com', 'ssm.us-east-1.amazonaws.com')).toBe(true);
    expect(bypasses('.amazonaws.com', 'amazonaws.com')).toBe(true);
    expect(bypasses('amazonaws.com', 'notamazonaws.com')).toBe(false);
    expect(bypasses('ssm.us-east-1.amazonaws.com', 'ec2.us-east-1.amazonaws.com')).toBe(false);
  });

  it('is case-insensitive and ignores a trailing dot of the host', () => {
    expect(bypasses('Example.COM', 'api.example.com')).toBe(true);
    expect(bypasses('example.com', 'API.EXAMPLE.COM.')).toBe(true);
  });

  it('a list separated by commas and spaces: any entry matches', () => {
    const list = 'localhost, 169.254.169.254 .internal.corp';
    expect(bypasses(list, 'localhost')).toBe(true);
    expect(bypasses(list, '169.254.169.254', 80)).toBe(true);
    expect(bypasses(list, 'vpce.internal.corp')).toBe(true);
    expect(bypasses(list, 'sts.amazonaws.com')).toBe(false);
  });

  it('an entry with :port matches only that port', () => {
    expect(bypasses('127.0.0.1:4566', '127.0.0.1', 4566)).toBe(true);
    expect(bypasses('127.0.0.1:4566', '127.0.0.1', 4567)).toBe(false);
    expect(bypasses('example.com:8443', 'api.example.com', 8443)).toBe(true);
    expect(bypasses('example.com:8443', 'api.example.com', 443)).toBe(false);
  });

  it('IP addresses match exactly; IPv6 with or without brackets, in any spelling', () => {
    expect(bypasses('127.0.0.1', '127.0.0.1')).toBe(true);
    expect(bypasses('127.0.0.1', '127.0.0.10')).toBe(false);
    expect(bypasses('10.0.0.1', '110.0.0.1')).toBe(false);
    expect(bypasses('::1', '[::1]')).toBe(true);
    expect(bypasses('[0:0:0:0:0:0:0:1]', '::1')).toBe(true);
    expect(bypasses('[::1]:8080', '::1', 8080)).toBe(true);
    expect(bypasses('[::1]:8080', '::1', 80)).toBe(false);
  });

  it('CIDR ranges match the addresses inside them, not host names', () => {
    expect(bypasses('10.0.0.0/8', '10.20.30.40')).toBe(true);
    expect(bypasses('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(bypasses('192.168.1.0/24', '192.168.1.255')).toBe(true);
    expect(bypasses('fd00::/8', 'fd12::1')).toBe(true);
    expect(bypasses('10.0.0.0/8', 'ten.example.com')).toBe(false);
  });
});
