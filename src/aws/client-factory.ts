/**
 * Builds the SDK clients behind SsmApi / Ec2Api: one region, one credential
 * chain, adaptive retries, an optional endpoint override.
 *
 * Endpoint: when `endpointUrl` is absent the SDK itself honours the standard
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL_EC2 and
 * AWS_ENDPOINT_URL_S3 variables (and _STS, _SECURITYHUB). With an override, STS goes
 * there too: GetCallerIdentity and --role-arn's AssumeRole.
 * Region: opts.region, AWS_REGION / AWS_DEFAULT_REGION, or the profile's
 * `region` in the shared config; none -> UsageError 'RegionMissing'.
 * Network: HTTPS_PROXY / HTTP_PROXY / NO_PROXY and AWS_CA_BUNDLE, for every
 * client and the credential chain's own calls (./http-handler.ts).
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { SSMClientConfig } from '@aws-sdk/client-ssm';
import type { Logger } from 'pino';
import { UsageError } from '../errors.js';
import { networkSettings, requestHandlerFor, type RequestHandlerSetting } from './http-handler.js';
import { resolveRegion } from './region.js';
import type { Ec2Api } from './ec2-api.js';
import type { S3Api } from './s3-api.js';
import { SdkS3Api } from './sdk-s3.js';
import { SdkEc2Api } from './sdk-ec2.js';
import { SdkSecurityHubApi } from './sdk-securityhub.js';
import { SdkSsmApi } from './sdk-ssm.js';
import { SdkStsApi } from './sdk-sts.js';
import type { SecurityHubApi } from './securityhub-api.js';
import type { SsmApi, SsmAssociationsApi } from './ssm-api.js';
import type { StsApi } from './sts-api.js';

export interface AwsClientOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** Assume this role (cross-account) with the chain's credentials. */
  roleArn?: string;
  /** The role's sts:ExternalId condition, when it has one (accounts file). */
  externalId?: string;
  /** SDK attempts per call (default AWS_MAX_ATTEMPTS, else 3). The fleet runner adds its own backoff on top. */
  maxAttempts?: number;
  /** Where AWS_MAX_ATTEMPTS and AWS_RETRY_MODE are read (default process.env), as the AWS CLI honours them. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Explicit credentials instead of the node provider chain (tests, the sandbox). */
  credentials?: Credentials;
}

type Credentials = NonNullable<SSMClientConfig['credentials']>;

export interface AwsClients {
  /** Run Command, and State Manager for schedule / collect. */
  ssm: SsmApi & SsmAssociationsApi;
  ec2: Ec2Api;
  /** Reads full command outputs from --output-s3-bucket. */
  s3: S3Api;
  /** The account of the credentials in use (ASFF). */
  sts: StsApi;
  /** Imports ASFF findings (audit --security-hub). */
  securityHub: SecurityHubApi;
  region: string;
  /** What the clients sign with (the role's when roleArn: assumed once, on first use); handed to the clients of an account's other regions (src/scope). */
  credentials: Credentials;
}

const REQUEST_TIMEOUT_MS = 30_000;
const CONNECTION_TIMEOUT_MS = 5_000;
const ROLE_SESSION_NAME = 'swarm-audit';

export function createAwsClients(opts: AwsClientOptions = {}): AwsClients {
  if (opts.endpointUrl !== undefined) assertEndpointUrl(opts.endpointUrl);
  if (opts.roleArn !== undefined) assertRoleArn(opts.roleArn);
  const region = resolveRegion(opts.region, opts.profile);
  const network = networkSettings(opts.env ?? process.env);
  const requestHandler = () => requestHandlerFor(network, { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECTION_TIMEOUT_MS });
  const credentials = buildCredentials(opts, region, requestHandler);
  // a function: every client gets its own request handler (its own sockets), destroyed with it
  const common = () => ({
    region,
    profile: opts.profile,
    credentials,
    ...retrySettings(opts),
    requestHandler: requestHandler(),
    ...(opts.endpointUrl !== undefined ? { endpoint: opts.endpointUrl } : {}),
    ...(opts.logger !== undefined ? { logger: sdkLogger(opts.logger) } : {}),
  });
  return {
    ssm: new SdkSsmApi(() => new SSMClient(common())),
    ec2: new SdkEc2Api(new EC2Client(common())),
    // Path-style with an endpoint override: a local endpoint has no per-bucket host names. Checksums only
    // when S3 requires them: the outputs are read once, and a local store need not compute CRCs.
    s3: new SdkS3Api({
      ...common(),
      forcePathStyle: opts.endpointUrl !== undefined,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    // loaded on first use (dynamic import), like S3: most runs never call STS or Security Hub
    sts: new SdkStsApi(common()),
    securityHub: new SdkSecurityHubApi(common()),
    region,
    credentials,
  };
}

/** The chain's (or opts.credentials) credentials, or the role's when opts.roleArn: one AssumeRole shared by every client given them. */
function buildCredentials(opts: AwsClientOptions, region: string, requestHandler: () => RequestHandlerSetting): Credentials {
  // the chain's own STS and SSO calls (web identity in CI, SSO) go through the same proxy and CA bundle
  const base = opts.credentials ?? fromNodeProviderChain({ profile: opts.profile, clientConfig: { requestHandler: requestHandler() } });
  if (opts.roleArn === undefined) return base;
  return shareAcrossClients(
    fromTemporaryCredentials({
      masterCredentials: base,
      params: {
        RoleArn: opts.roleArn,
        RoleSessionName: ROLE_SESSION_NAME,
        ...(opts.externalId === undefined ? {} : { ExternalId: opts.externalId }),
      },
      // the role is assumed where every other call goes: the sandbox endpoint answers AssumeRole too
      clientConfig: { region, requestHandler: requestHandler(), ...(opts.endpointUrl !== undefined ? { endpoint: opts.endpointUrl } : {}) },
    }),
  );
}

type TemporaryCredentials = ReturnType<typeof fromTemporaryCredentials>;
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * One AssumeRole for every client: each SDK client caches credentials on its
 * own, so without this a single audit assumed the role 6 times (measured on
 * the sandbox endpoint). Renewed 5 minutes before expiry; a failure is not
 * cached, the next call assumes the role again.
 */
function shareAcrossClients(provider: TemporaryCredentials): TemporaryCredentials {
  let current: ReturnType<TemporaryCredentials> | undefined;
  return async () => {
    const cached = await current?.catch(() => undefined);
    const fresh = cached !== undefined && (cached.expiration === undefined || cached.expiration.getTime() - Date.now() > REFRESH_BEFORE_EXPIRY_MS);
    if (fresh) return cached;
    current = provider();
    return current;
  };
}

const RETRY_MODES = ['standard', 'adaptive', 'legacy'] as const;

/** AWS_RETRY_MODE and AWS_MAX_ATTEMPTS, as the AWS CLI and SDKs read them; adaptive and 3 attempts when unset. */
function retrySettings(opts: AwsClientOptions): { retryMode: (typeof RETRY_MODES)[number]; maxAttempts: number } {
  const env = opts.env ?? process.env;
  const mode = env.AWS_RETRY_MODE ?? 'adaptive';
  if (!(RETRY_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`AWS_RETRY_MODE must be one of ${RETRY_MODES.join(', ')}, got ${mode}`, 'RetrySettingsInvalid');
  }
  const attempts = opts.maxAttempts ?? (env.AWS_MAX_ATTEMPTS === undefined ? 3 : Number(env.AWS_MAX_ATTEMPTS));
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new UsageError(`AWS_MAX_ATTEMPTS must be a whole number of at least 1, got ${env.AWS_MAX_ATTEMPTS}`, 'RetrySettingsInvalid');
  }
  return { retryMode: mode as (typeof RETRY_MODES)[number], maxAttempts: attempts };
}

/** IAM's role ARN form: partition, 12-digit account, optional path, role name of [\w+=,.@-]. */
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

function assertRoleArn(arn: string): void {
  if (!ROLE_ARN.test(arn)) {
    throw new UsageError(`--role-arn: not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>): ${arn}`, 'RoleArnInvalid');
  }
}

function assertEndpointUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--endpoint-url: not a URL: ${url}`, 'EndpointUrlInvalid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--endpoint-url: only http and https are supported, got ${parsed.protocol}`, 'EndpointUrlInvalid');
  }
}

/**
 * The SDK logs every request at info with its input and output, and every
 * failed attempt at error: keep both at debug. The final failure reaches the
 * operator once, as the CLI's one-line cause.
 */
function sdkLogger(logger: Logger) {
  const child = logger.child({ component: 'aws-sdk' });
  return {
    trace: (...args: unknown[]) => child.trace({ sdk: args }),
    debug: (...args: unknown[]) => child.debug({ sdk: args }),
    info: (...args: unknown[]) => child.debug({ sdk: args }),
    warn: (...args: unknown[]) => child.warn({ sdk: args }),
    error: (...args: unknown[]) => child.debug({ sdk: args }),
  };
}
