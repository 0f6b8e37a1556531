/**
 * One HTTP server on loopback that speaks AWS's wire protocols: SSM (AWS JSON
 * 1.1, X-Amz-Target AmazonSSM.*) and EC2 (query protocol, XML answers), so
 * STS (query protocol, GetCallerIdentity/AssumeRole), Security Hub (REST-JSON,
 * BatchImportFindings/GetFindings), so
 * the real SDK v3 clients and the AWS CLI v2 can be pointed at it with
 * `endpoint` / `--endpoint-url`. Commands sent through SSM run for real.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { UsageError } from '../../../../src/errors.js';
import type { EndpointLimits, FleetFile } from '../fleet-file-types.js';
import { checkSigV4 } from './auth.js';
import { QueryParams } from './ec2/query-params.js';
import { handleEc2 } from './ec2/router.js';
import { ec2ErrorResponse, ec2Response } from './ec2/xml.js';
import { FaultInjector } from './faults.js';
import { FleetIndex, scopedFleet } from './fleet-index.js';
import { ProcessPool } from './runner/process-pool.js';
import { seededRandom } from './seeded-random.js';
import { ServiceError } from './service-error.js';
import { AssociationRunner } from './ssm/associations-runner.js';
import { AssociationStore } from './ssm/associations-store.js';
import { CommandStore } from './ssm/command-store.js';
import { ComplianceStore } from './ssm/compliance-store.js';
import type { SsmContext } from './ssm/context.js';
import { DocumentStore } from './ssm/documents.js';
import { InvocationExecutor } from './ssm/executor.js';
import { JsonInput } from './ssm/input.js';
import { handleSsm } from './ssm/router.js';
import { ObjectStore } from './s3/object-store.js';
import { decodeAwsChunked, handleS3, s3ErrorXml, s3Operation, type S3Request } from './s3/router.js';
import { bump, emptyStats, type EndpointStats } from './stats.js';
import { FindingStore } from './securityhub/finding-store.js';
import { handleSecurityHub, securityHubOperation } from './securityhub/router.js';
import { Principals, type Principal } from './sts/principals.js';
import { handleSts, stsErrorResponse, stsResponse } from './sts/router.js';
import { STS_OPERATIONS, type SecurityHubOperation, type StsOperation } from './operations.js';

export type { EndpointStats } from './stats.js';

export interface StartEndpointOptions {
  fleet: FleetFile;
  /** Loopback only (127.0.0.0/8, ::1, localhost). Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  logger?: Logger;
  /** Overrides fleet.limits. */
  limits?: EndpointLimits;
}

export interface RunningEndpoint {
  url: string;
  port: number;
  stats(): EndpointStats;
  /** Kills running commands (process groups), closes connections; resolves when all is down. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const AWS_MIN_DELIVERY_TIMEOUT_SECONDS = 30;
const DEFAULT_MAX_CONCURRENT_PROCESSES = 16;
const SSM_TARGET_PREFIX = 'AmazonSSM.';

type Route =
  | { protocol: 'ssm'; operation: string; body: string }
  | { protocol: 'ec2'; operation: string; params: QueryParams }
  | { protocol: 's3'; operation: string; request: S3Request }
  | { protocol: 'sts'; operation: StsOperation; params: QueryParams }
  | { protocol: 'securityhub'; operation: SecurityHubOperation; body: string };

export async function startEndpoint(opts: StartEndpointOptions): Promise<RunningEndpoint> {
  const host = opts.host ?? '127.0.0.1';
  if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/.test(host)) {
    throw new UsageError(`the sandbox endpoint listens on loopback only, not ${host}`, 'EndpointHostNotLoopback');
  }
  const limits = { ...opts.fleet.limits, ...opts.limits };
  const fleet = new FleetIndex(opts.fleet);
  const faults = new FaultInjector(opts.fleet.faults);
  const stats = emptyStats();
  const pool = new ProcessPool(limits.maxConcurrentProcesses ?? DEFAULT_MAX_CONCURRENT_PROCESSES);
  const shutdown = new AbortController();
  // Each request in flight with latency and each recorded step waits on it: many, by design.
  setMaxListeners(0, shutdown.signal);
  const objects = new ObjectStore();
  const principals = new Principals(opts.fleet.accountId);
  const securityHubFindings = new FindingStore();
  const ssm: SsmContext = {
    objects,
    fleet,
    documents: new DocumentStore(opts.fleet.accountId),
    commands: new CommandStore(),
    compliance: new ComplianceStore(),
    associations: new AssociationStore(),
    associationRunner: new AssociationRunner(shutdown.signal, limits.associationIntervalMs),
    executor: new InvocationExecutor(
      pool,
      shutdown.signal,
      () => {
        stats.commandsRun += 1;
      },
      seededRandom(opts.fleet.faults?.seed ?? 1),
    ),
    stats,
    consistencyDelayMs: faults.consistencyDelayMs,
    minDeliveryTimeoutSeconds: limits.minDeliveryTimeoutSeconds ?? AWS_MIN_DELIVERY_TIMEOUT_SECONDS,
  };
  const log = opts.logger;
  const scopes = new Map<string, { fleet: FleetIndex; ssm: SsmContext }>();
  /** The fleet and SSM state of one (account, region), made on its first request and kept: commands, compliance and associations are per account and region too. */
  const scopeOf = (account: string, region: string) => {
    const key = `${account}/${region}`;
    let scope = scopes.get(key);
    if (!scope) {
      const view = new FleetIndex(scopedFleet(opts.fleet, account, region));
      scope = {
        fleet: view,
        ssm: { ...ssm, fleet: view, commands: new CommandStore(), compliance: new ComplianceStore(), associations: new AssociationStore() },
      };
      scopes.set(key, scope);
    }
    return scope;
  };

  const snapshot = (): EndpointStats => ({
    ...structuredClone(stats),
    commandsRunning: pool.runningCount,
    commandsQueued: pool.queuedCount,
    maxConcurrentObserved: pool.maxObserved,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/_sandbox/stats') {
      sendJson(res, 200, snapshot(), requestId);
      return;
    }
    let route: Route | undefined;
    try {
      route = classify(req, await readBody(req));
      if (route.protocol === 's3' && /aws-chunked/.test(String(req.headers['content-encoding'] ?? ''))) {
        route.request.body = decodeAwsChunked(route.request.body);
      }
      bump(stats.requests, route.operation);
      const signer = checkSigV4(req.headers);
      const latency = faults.latencyMs(route.operation);
      if (latency > 0) await sleep(latency, shutdown.signal);
      const outcome = faults.decide(route.operation);
      if (outcome === 'reset') {
        bump(stats.connectionResets, route.operation);
        req.socket.destroy();
        return;
      }
      if (outcome === 'throttle') {
        bump(stats.throttled, route.operation);
        if (route.protocol === 's3') throw new ServiceError('SlowDown', 'Please reduce your request rate.', 503);
        throw route.protocol === 'ssm'
          ? new ServiceError('ThrottlingException', 'Rate exceeded', 400)
          : new ServiceError('RequestLimitExceeded', 'Request limit exceeded.', 503);
      }
      if (outcome === 'serverError') {
        bump(stats.serverErrors, route.operation);
        throw route.protocol === 'ssm'
          ? new ServiceError('InternalServerError', 'An internal error occurred (injected fault).', 500)
          : new ServiceError('InternalError', 'An internal error has occurred (injected fault).', 500);
      }
      if (route.protocol === 's3') {
        const answer = handleS3(objects, route.request);
        res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body), 'x-amz-request-id': requestId });
        res.end(answer.body);
      } else if (route.protocol === 'sts') {
        const result = handleSts(route.operation, { principals, caller: callerOf(principals, signer.accessKeyId), params: route.params, assumableRoles: opts.fleet.assumableRoles });
        sendXml(res, 200, stsResponse(route.operation, requestId, result), requestId);
      } else if (route.protocol === 'securityhub') {
        const caller = { account: callerOf(principals, signer.accessKeyId).account, region: signer.region };
        sendJson(res, 200, handleSecurityHub(route.operation, { findings: securityHubFindings, caller, body: route.body, now: new Date() }), requestId);
      } else if (route.protocol === 'ssm') {
        const scope = scopeOf(callerOf(principals, signer.accessKeyId).account, signer.region);
        sendJson(res, 200, handleSsm(scope.ssm, route.operation, JsonInput.parse(route.body)), requestId, 'application/x-amz-json-1.1');
      } else {
        const scope = scopeOf(callerOf(principals, signer.accessKeyId).account, signer.region);
        sendXml(res, 200, ec2Response(route.operation, requestId, handleEc2(scope.fleet, route.operation, route.params)), requestId);
      }
    } catch (err) {
      const operation = route?.operation ?? 'unknown';
      bump(stats.errors, operation);
      const error = err instanceof ServiceError ? err : internalError(err, route);
      if (!(err instanceof ServiceError)) log?.error({ err, operation }, 'sandbox endpoint: unexpected error');
      else log?.debug({ code: error.code, operation }, 'sandbox endpoint: error answer');
      if (res.headersSent || res.destroyed) return;
      if (route?.protocol === 'sts') sendXml(res, error.httpStatus, stsErrorResponse(error.code, error.message, requestId), requestId);
      else if (route?.protocol === 'ec2') sendXml(res, error.httpStatus, ec2ErrorResponse(error.code, error.message, requestId), requestId);
      else if (route?.protocol === 's3') sendXml(res, s3Status(error), s3ErrorXml(s3Code(error), error.message, requestId), requestId);
      else sendJson(res, error.httpStatus, { __type: error.code, message: error.message }, requestId, 'application/x-amz-json-1.1');
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log?.info({ url, instances: opts.fleet.instances.length }, 'sandbox endpoint listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    stats: snapshot,
    close: () => {
      closing ??= (async () => {
        shutdown.abort();
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await pool.close();
        await serverClosed;
        log?.info({ url }, 'sandbox endpoint closed');
      })();
      return closing;
    },
  };
}

function classify(req: IncomingMessage, raw: Buffer): Route {
  const body = raw.toString('utf8');
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    if (!target.startsWith(SSM_TARGET_PREFIX)) {
      return { protocol: 'ssm', operation: target, body };
    }
    return { protocol: 'ssm', operation: target.slice(SSM_TARGET_PREFIX.length), body };
  }
  const query = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
  const params = new URLSearchParams(req.method === 'POST' ? body : query);
  const action = params.get('Action');
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
  const securityHub = req.method === 'POST' ? securityHubOperation(path) : undefined;
  if (securityHub !== undefined) return { protocol: 'securityhub', operation: securityHub, body };
  if (action !== null && (STS_OPERATIONS as readonly string[]).includes(action)) {
    return { protocol: 'sts', operation: action as StsOperation, params: new QueryParams(params) };
  }
  // S3 is path-style REST: no target header, no Action, a bucket in the path.
  if (!action && req.method !== 'POST' && path !== '/') {
    const request: S3Request = { method: req.method ?? 'GET', path, query: new URLSearchParams(query), body: raw };
    return { protocol: 's3', operation: s3Operation(request), request };
  }
  if (!action) {
    throw new ServiceError('MissingAction', 'The request must contain the parameter Action (EC2) or the X-Amz-Target header (SSM).');
  }
  return { protocol: 'ec2', operation: action, params: new QueryParams(params) };
}

/** The principal behind a signature; temporary keys that expired are refused as AWS refuses them. */
function callerOf(principals: Principals, accessKeyId: string): Principal {
  const principal = principals.identify(accessKeyId);
  if (!principal) throw new ServiceError('ExpiredToken', 'The security token included in the request is expired', 403);
  return principal;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ServiceError('RequestEntityTooLarge', 'Request body too large.', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** S3 names a server error InternalError (500) and a missing operation NotImplemented. */
function s3Code(error: ServiceError): string {
  return error.code === 'InternalServerError' ? 'InternalError' : error.code;
}

function s3Status(error: ServiceError): number {
  return error.code === 'InternalServerError' ? 500 : error.httpStatus;
}

function internalError(err: unknown, route: Route | undefined): ServiceError {
  const message = `Internal error: ${err instanceof Error ? err.message : String(err)}`;
  return new ServiceError(route?.protocol === 'ec2' ? 'InternalError' : 'InternalServerError', message, 500);
}

function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

function sendXml(res: ServerResponse, status: number, text: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // Removed when the timer fires: one listener per request in flight, not per request ever served.
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
