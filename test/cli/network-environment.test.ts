/** The CLI refuses a network environment it cannot honour before any AWS call: exit 3 and one line naming the variable. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { captureContext } from './helpers/capture-context.js';
import { main } from '../../src/cli/main.js';

// createAwsClients and the SDK's credential chain read the process environment, not the CLI context
const VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_CA_BUNDLE', 'HTTPS_PROXY', 'https_proxy'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

let server: Server;
let url: string;
let requests = 0;

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  server = createServer((_, res) => {
    requests += 1;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const name of ['AWS_CA_BUNDLE', 'HTTPS_PROXY', 'https_proxy'] as const) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

afterAll(async () => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await new Promise((resolve) => server.close(resolve));
});

const audit = () => ['audit', '--tag', 'Swarm=prod', '--endpoint-url', url, '--region', 'eu-west-1'];

it('AWS_CA_BUNDLE that cannot be read: exit 3 with its path, no request', async () => {
  process.env.AWS_CA_BUNDLE = '/nonexistent/corp-ca.pem';
  const ctx = captureContext();
  expect(await main(audit(), ctx)).toBe(3);
  expect(ctx.err()).toBe('swarm-audit: CaBundleUnreadable: AWS_CA_BUNDLE: cannot read /nonexistent/corp-ca.pem (ENOENT)\n');
  expect(requests).toBe(0);
});

it('HTTPS_PROXY that is not an http(s) URL: exit 3 naming the variable, no request', async () => {
  process.env.https_proxy = 'socks5://proxy.corp:1080';
  const ctx = captureContext();
  expect(await main(['discover', '--tag', 'Swarm=prod', '--endpoint-url', url, '--region', 'eu-west-1'], ctx)).toBe(3);
  expect(ctx.err()).toBe('swarm-audit: ProxyInvalid: https_proxy: only http:// and https:// proxies are supported, got socks5://\n');
  expect(requests).toBe(0);
});
