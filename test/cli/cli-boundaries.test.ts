import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureContext } from './helpers/capture-context.js';
import { oneLineCause } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';

// the SDK's credential chain reads the process environment, not the CLI context
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
});
afterAll(() => {
  for (const [key, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});


describe('a single-valued flag given twice', () => {
  let server: Server;
  let url: string;
  let requests = 0;
  beforeAll(async () => {
    server = createServer((_, res) => {
      requests += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['--log-level', ['--log-level', 'warn', '--log-level', 'info'], '--log-level was given 2 times (warn, info): give it once'],
    ['--output', ['--output', 'json', '--output', 'table'], '--output was given 2 times (json, table): give it once'],
    ['--timeout', ['--timeout', '5', '--timeout', '9'], '--timeout was given 2 times (5, 9): give it once'],
  ])('%s: exit 3 with a line that says so, and no request', async (_, flags, line) => {
    const ctx = captureContext();
    const code = await main(['audit', '--tag', 'Swarm=prod', '--endpoint-url', url, '--region', 'eu-west-1', ...flags], ctx);
    expect(code).toBe(3);
    expect(ctx.err()).toBe(`swarm-audit: Usage: ${line}\nRun swarm-audit --help for usage.\n`);
    expect(requests).toBe(0);
  });

  it.each(['29', '2592001', '30.5'])('--delivery-timeout %s: exit 3 before any request', async (seconds) => {
    const ctx = captureContext();
    const code = await main(['audit', '--tag', 'Swarm=prod', '--endpoint-url', url, '--region', 'eu-west-1', '--delivery-timeout', seconds], ctx);
    expect(code).toBe(3);
    expect(ctx.err()).toContain(`--delivery-timeout must be whole seconds from 30 to 2592000, got ${seconds}`);
    expect(requests).toBe(0);
  });

  it('a malformed --role-arn: exit 3 before any request', async () => {
    const ctx = captureContext();
    const code = await main(['audit', '--tag', 'Swarm=prod', '--endpoint-url', url, '--region', 'eu-west-1', '--role-arn', 'SwarmAudit'], ctx);
    expect(code).toBe(3);
    expect(ctx.err()).toMatch(/^swarm-audit: RoleArnInvalid: --role-arn: not an IAM role ARN .*: SwarmAudit\n$/);
    expect(requests).toBe(0);
  });

  it('repeatable flags still collect every value', async () => {
    const ctx = captureContext();
    const code = await main(
      ['discover', '--tag', 'Swarm=prod', '--tag', 'Tier=web', '--tag-key', 'A', '--tag-key', 'B', '--endpoint-url', url, '--region', 'eu-west-1', '--log-level', 'silent'],
      ctx,
    );
    expect(code).not.toBe(3);
    expect(requests).toBeGreaterThan(0);
  });
});

describe('an endpoint that does not answer', () => {
  it('ends in one line with the cause and a hint, exit 2, and no SDK dump at info', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve)); // nothing listens there now
    const ctx = captureContext();
    const code = await main(['discover', '--tag', 'Swarm=prod', '--endpoint-url', `http://127.0.0.1:${port}`, '--region', 'eu-west-1'], ctx);
    expect(code).toBe(2);
    const lines = ctx.err().trimEnd().split('\n');
    const cause = lines.filter((l) => l.startsWith('swarm-audit: '));
    expect(cause).toEqual([
      `swarm-audit: cannot reach AWS (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:${port}; nothing answered: check --endpoint-url / AWS_ENDPOINT_URL, the network, and HTTPS_PROXY`,
    ]);
    expect(ctx.err()).not.toContain('"component":"aws-sdk"');
  }, 60_000);

  it('names DNS and the region when the host name does not resolve', () => {
    const err = Object.assign(new Error('getaddrinfo ENOTFOUND ec2.xx-nowhere-9.amazonaws.com'), { code: 'ENOTFOUND' });
    expect(oneLineCause(err)).toBe(
      'cannot reach AWS (ENOTFOUND): getaddrinfo ENOTFOUND ec2.xx-nowhere-9.amazonaws.com; the host name does not resolve: check --region (an unknown region has no endpoint) and DNS',
    );
  });
});

describe('--status', () => {
  it.each([
    [['--status', 'FAIL', '--output', 'json'], '--status filters what table and markdown list; json is a complete record (leave --status out)'],
    [['--status', 'FAIL,BAD'], '--status: unknown BAD (valid: PASS, FAIL, WARN, ERROR, NOT_APPLICABLE)'],
    [['--report', 'sarif=/nonexistent-dir/x.sarif'], 'cannot write --report /nonexistent-dir/x.sarif: ENOENT: no such file or directory'],
    [['--report', 'yaml=x.yml'], '--report yaml=x.yml: unknown report format "yaml"'],
  ])('%j: exit 3 before any call', async (flags, line) => {
    const ctx = captureContext();
    const code = await main(['audit', '--tag', 'Swarm=prod', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'eu-west-1', ...flags], ctx);
    expect(code).toBe(3);
    expect(ctx.err()).toContain(line);
  });
});
