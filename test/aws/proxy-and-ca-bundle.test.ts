/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY and AWS_CA_BUNDLE through the real SDK
 * clients (createAwsClients), all on loopback: the sandbox endpoint in this
 * process, a forward proxy of a few lines (absolute-URI requests and CONNECT)
 * that records what it carried, and a TLS front on the endpoint with a
 * self-signed certificate made by openssl for this run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createAwsClients } from '../../src/aws/client-factory.js';
import { UsageError } from '../../src/errors.js';
import { EXIT, exitCodeForError, oneLineCause } from '../../src/cli/exit-codes.js';
import { startEndpoint, type RunningEndpoint } from '../../packages/sandbox/src/endpoint/server.js';
import { parseFleetFile } from '../../packages/sandbox/src/fleet-file.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

let endpoint: RunningEndpoint;
let proxy: Server;
let proxyUrl: string;
let tlsFront: TlsServer;
let tlsUrl: string;
let dir: string;
let caPath: string;
/** What the proxy carried: `POST http://127.0.0.1:N/` or `CONNECT 127.0.0.1:N`. */
const carried: string[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  endpoint = await startEndpoint({ fleet: parseFleetFile({ accountId: ACCOUNT, region: REGION, instances: [] }) });
  proxy = await listen(forwardProxy());
  proxyUrl = `http://127.0.0.1:${port(proxy)}`;
  dir = mkdtempSync(join(tmpdir(), 'swarm-audit-ca-'));
  const { key, cert } = selfSignedCertificate(dir);
  caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, cert);
  tlsFront = await listen(
    createTlsServer({ key, cert }, (tls) => {
      const upstream = connect(Number(new URL(endpoint.url).port), '127.0.0.1');
      track(tls);
      track(upstream);
      tls.pipe(upstream).pipe(tls);
    }),
  );
  tlsUrl = `https://127.0.0.1:${port(tlsFront)}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  proxy?.closeAllConnections();
  await Promise.all([close(proxy), close(tlsFront)]);
  await endpoint?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  carried.length = 0;
});

function clients(endpointUrl: string, env: NodeJS.ProcessEnv) {
  return createAwsClients({ region: REGION, endpointUrl, maxAttempts: 1, env, credentials: { accessKeyId: 'AKIDPROXY', secretAccessKey: 'x' } });
}

describe('proxy environment', () => {
  it('HTTP_PROXY: the calls to an http endpoint go through the proxy as absolute-URI requests', async () => {
    const aws = clients(endpoint.url, { HTTP_PROXY: proxyUrl });
    await expect(aws.sts.getCallerIdentity()).resolves.toMatchObject({ Account: ACCOUNT });
    await expect(aws.ssm.describeInstanceInformation({})).resolves.toMatchObject({ InstanceInformationList: [] });
    expect(carried).toEqual([`POST ${endpoint.url}/`, `POST ${endpoint.url}/`]);
  });

  it('--role-arn: the AssumeRole call goes through the proxy too, then the call made as the role', async () => {
    const aws = createAwsClients({
      region: REGION, endpointUrl: endpoint.url, maxAttempts: 1, env: { HTTP_PROXY: proxyUrl },
      roleArn: 'arn:aws:iam::210987654321:role/SwarmAudit', credentials: { accessKeyId: 'AKIDPROXY', secretAccessKey: 'x' },
    });
    await expect(aws.sts.getCallerIdentity()).resolves.toMatchObject({ Account: '210987654321' });
    expect(carried).toEqual([`POST ${endpoint.url}/`, `POST ${endpoint.url}/`]);
  });

  it('lowercase http_proxy wins over HTTP_PROXY, as in curl and the AWS CLI', async () => {
    const aws = clients(endpoint.url, { http_proxy: proxyUrl, HTTP_PROXY: 'http://127.0.0.1:9' });
    await expect(aws.sts.getCallerIdentity()).resolves.toMatchObject({ Account: ACCOUNT });
    expect(carried).toHaveLength(1);
  });

  it('NO_PROXY=127.0.0.1: the same calls go direct and the proxy carries nothing', async () => {
    const aws = clients(endpoint.url, { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
    await expect(aws.sts.getCallerIdentity()).resolves.toMatchObject({ Account: ACCOUNT });
    await expect(aws.ssm.describeInstanceInformation({})).resolves.toMatchObject({ InstanceInformationList: [] });
    expect(carried).toEqual([]);
  });

  it('NO_PROXY with another port does not bypass: the entry names a port', async () => {
    const aws = clients(endpoint.url, { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1:1' });
    await aws.sts.getCallerIdentity();
    expect(carried).toHaveLength(1);
  });

  it('HTTPS_PROXY alone leaves http endpoints direct (it is the proxy for https)', async () => {
    const aws = clients(endpoint.url, { HTTPS_PROXY: proxyUrl });
    await aws.sts.getCallerIdentity();
    expect(carried).toEqual([]);
  });

  it('HTTPS_PROXY with AWS_CA_BUNDLE: an https endpoint is reached through a CONNECT tunnel and its certificate is trusted', async () => {
    const aws = clients(tlsUrl, { HTTPS_PROXY: proxyUrl, AWS_CA_BUNDLE: caPath });
    await expect(aws.sts.getCallerIdentity()).resolves.toMatchObject({ Account: ACCOUNT });
    expect(carried).toEqual([`CONNECT 127.0.0.1:${port(tlsFront)}`]);
  });

  it('HTTPS_PROXY without the bundle: the tunnel is opened, and the endpoint certificate is still checked', async () => {
    const err = await clients(tlsUrl, { HTTPS_PROXY: proxyUrl }).sts.getCallerIdentity().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(carried).toEqual([`CONNECT 127.0.0.1:${port(tlsFront)}`]);
    expect(oneLineCause(err)).toMatch(/self[- ]signed certificate/i);
  });

  it('a proxy variable that is not an http(s) URL is a usage error before any call', () => {
    expect(() => clients(endpoint.url, { HTTPS_PROXY: 'socks5://127.0.0.1:1080' })).toThrow(
      expect.objectContaining({ name: 'UsageError', code: 'ProxyInvalid', message: expect.stringContaining('HTTPS_PROXY') }),
    );
  });
});

describe('AWS_CA_BUNDLE', () => {
  it('trusts the endpoint certificate signed by the bundle', async () => {
    const aws = clients(tlsUrl, { AWS_CA_BUNDLE: caPath });
    await expect(aws.sts.getCallerIdentity()).resolves.toMatchObject({ Account: ACCOUNT });
    await expect(aws.ssm.describeInstanceInformation({})).resolves.toMatchObject({ InstanceInformationList: [] });
  });

  it('without it the self-signed endpoint is refused, and the cause says why', async () => {
    const err = await clients(tlsUrl, {}).sts.getCallerIdentity().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeDefined();
    expect(oneLineCause(err)).toBe(
      "cannot trust the endpoint's TLS certificate (self-signed certificate); if a proxy or a private CA signs it, set AWS_CA_BUNDLE to that CA's PEM file",
    );
    expect(exitCodeForError(err)).toBe(EXIT.usage);
  });

  it('an unreadable bundle is a usage error naming the path, before any client exists', () => {
    const missing = join(dir, 'missing.pem');
    let thrown: unknown;
    try {
      clients(tlsUrl, { AWS_CA_BUNDLE: missing });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toMatchObject({ code: 'CaBundleUnreadable', message: `AWS_CA_BUNDLE: cannot read ${missing} (ENOENT)` });
  });

  it('a file without a PEM certificate is refused the same way', () => {
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello\n');
    expect(() => clients(tlsUrl, { AWS_CA_BUNDLE: notPem })).toThrow(expect.objectContaining({ code: 'CaBundleUnreadable', message: expect.stringContaining(notPem) }));
  });
});

/** The forward proxy: absolute-URI requests (plain http) are relayed; CONNECT opens a tunnel. */
function forwardProxy(): Server {
  const server = createServer((req, res) => {
    carried.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    carried.push(`CONNECT ${req.url}`);
    const [host, targetPort] = req.url!.split(':');
    const upstream = connect(Number(targetPort), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    track(client);
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return server;
}

function selfSignedCertificate(into: string): { key: string; cert: string } {
  const keyPath = join(into, 'key.pem');
  const certPath = join(into, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath,
  ], { stdio: 'ignore' });
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
}

function track(socket: Socket): void {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => socket.destroy());
}

async function listen<S extends Server | TlsServer>(server: S): Promise<S> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function port(server: Server | TlsServer): number {
  return (server.address() as AddressInfo).port;
}

function close(server: Server | TlsServer | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
