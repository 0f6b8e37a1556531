/**
 * The SDK clients' request handler, honouring the network environment the
 * AWS CLI honours:
 * - `HTTPS_PROXY` for https endpoints (CONNECT tunnel), `HTTP_PROXY` for
 *   http endpoints (absolute-URI requests); lowercase names first, as curl
 *   and the AWS CLI; a proxy URL without a scheme is http://.
 * - `NO_PROXY` (./no-proxy.ts), decided per request: one client reaches
 *   several hosts (regional endpoints, S3 buckets, an --endpoint-url).
 * - `AWS_CA_BUNDLE`: a PEM file that replaces the default trust store for
 *   https endpoints and https proxies, as in the AWS CLI. A file that cannot
 *   be read is a usage error before any call.
 * Without any of these the SDK's own handler is used, as before.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { UsageError } from '../errors.js';
import { noProxyMatcher, type ProxyBypass } from './no-proxy.js';

export interface HandlerTimeouts {
  requestTimeout: number;
  connectionTimeout: number;
}

/** What the clients are given as `requestHandler`: the SDK's options, or a handler of ours. */
export type RequestHandlerSetting = NodeHttpHandlerOptions | NodeHttpHandler | ProxyRoutingHandler;

export interface NetworkSettings {
  proxies: { http?: URL; https?: URL };
  bypass: ProxyBypass;
  ca?: string;
}

/** Read once per run: the CA bundle is read and the proxy URLs are checked before any client exists. */
export function networkSettings(env: NodeJS.ProcessEnv): NetworkSettings {
  const http = proxyUrl(env, 'http_proxy', 'HTTP_PROXY');
  const https = proxyUrl(env, 'https_proxy', 'HTTPS_PROXY');
  const ca = caBundle(nonEmpty(env.AWS_CA_BUNDLE));
  return {
    proxies: { ...(http ? { http } : {}), ...(https ? { https } : {}) },
    bypass: noProxyMatcher(nonEmpty(env.no_proxy) ?? env.NO_PROXY),
    ...(ca === undefined ? {} : { ca }),
  };
}

/** A fresh handler (own sockets) for one client: destroying one client must not close another's connections. */
export function requestHandlerFor(settings: NetworkSettings, timeouts: HandlerTimeouts): RequestHandlerSetting {
  const { proxies, ca } = settings;
  if (!proxies.http && !proxies.https && ca === undefined) return { ...timeouts };
  const direct = new NodeHttpHandler({ ...timeouts, httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent({ ...agentOptions, ...caOption(ca) }) });
  if (!proxies.http && !proxies.https) return direct;
  const proxied = new NodeHttpHandler({
    ...timeouts,
    httpAgent: proxies.http ? new HttpProxyAgent(proxies.http, { ...agentOptions, ...caOption(ca) }) : new HttpAgent(agentOptions),
    httpsAgent: proxies.https ? new TrustingHttpsProxyAgent(proxies.https, ca) : new HttpsAgent({ ...agentOptions, ...caOption(ca) }),
  });
  return new ProxyRoutingHandler(direct, proxied, settings.bypass);
}

/** The SDK's own defaults for its agents. */
const agentOptions = { keepAlive: true, maxSockets: 50 };

function caOption(ca: string | undefined): { ca?: string } {
  return ca === undefined ? {} : { ca };
}

/**
 * https-proxy-agent gives its options to the socket to the proxy only: the
 * TLS session with the endpoint, inside the tunnel, is built from the
 * request's options, which the SDK fills without `ca`. It also drops the
 * host from them, so Node would check an IP endpoint's certificate against
 * "localhost": the check is bound to the endpoint's own host here.
 */
class TrustingHttpsProxyAgent extends HttpsProxyAgent<string> {
  constructor(proxy: URL, private readonly ca: string | undefined) {
    super(proxy, { ...agentOptions, ...caOption(ca) });
  }

  override connect(...[req, opts]: Parameters<HttpsProxyAgent<string>['connect']>) {
    if (!opts.secureEndpoint) return super.connect(req, opts);
    const host = opts.host;
    return super.connect(req, {
      ...opts,
      ...caOption(this.ca),
      checkServerIdentity: (_name: string, cert: PeerCertificate) => checkServerIdentity(host ?? '', cert),
    });
  }
}

/** Sends each request direct or through the proxy, by NO_PROXY and whether a proxy is set for its scheme. */
class ProxyRoutingHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(
    private readonly direct: NodeHttpHandler,
    private readonly proxied: NodeHttpHandler,
    private readonly bypass: ProxyBypass,
  ) {}

  handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const [request] = args;
    const https = request.protocol === 'https:';
    const port = request.port ?? (https ? 443 : 80);
    const handler = this.bypass(request.hostname, port) ? this.direct : this.proxied;
    return handler.handle(...args);
  }

  updateHttpClientConfig(...args: Parameters<NodeHttpHandler['updateHttpClientConfig']>): void {
    this.direct.updateHttpClientConfig(...args);
    this.proxied.updateHttpClientConfig(...args);
  }

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return this.direct.httpHandlerConfigs();
  }

  destroy(): void {
    this.direct.destroy();
    this.proxied.destroy();
  }
}

function proxyUrl(env: NodeJS.ProcessEnv, lower: string, upper: string): URL | undefined {
  const name = nonEmpty(env[lower]) !== undefined ? lower : upper;
  const value = nonEmpty(env[name]);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new UsageError(`${name} is not a URL: ${withoutCredentials(value)}`, 'ProxyInvalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${name}: only http:// and https:// proxies are supported, got ${url.protocol}//`, 'ProxyInvalid');
  }
  return url;
}

function caBundle(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`AWS_CA_BUNDLE: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'CaBundleUnreadable');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`AWS_CA_BUNDLE: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, 'CaBundleUnreadable');
  }
  return pem;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function withoutCredentials(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}
