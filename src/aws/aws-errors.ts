/**
 * Classification of errors thrown by the AWS SDK v3 (and by our own fakes,
 * which throw the same shapes): which ones are worth retrying, which ones are
 * final, and how final ones map to the typed errors of src/errors.ts.
 *
 * We classify by error name, `$fault`, `$retryable` and HTTP status, as the
 * SDK's own service-error-classification does, because SSM's throttling
 * error is not a modelled exception class.
 */
import { AwsError, SwarmAuditError } from '../errors.js';

/** The shape we read from SDK errors; every field is optional on purpose. */
interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException', // SSM "Rate exceeded"
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded', // EC2
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'BandwidthLimitExceeded',
  'SlowDown',
  'EC2ThrottledException',
]);

const CREDENTIAL_NAMES = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'UnrecognizedClientException', // SSM: unknown access key
  'InvalidClientTokenId', // STS / query protocols
  'AuthFailure', // EC2
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'InvalidAccessKeyId',
]);

const ACCESS_DENIED_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation', // EC2
  'UnauthorizedAccess',
]);

/** Network-level failures: the request may never have reached AWS. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalServerError', 'InternalError', 'InternalFailure', 'ServiceUnavailable']);

function asSdkError(err: unknown): SdkErrorLike {
  return typeof err === 'object' && err !== null ? (err) : {};
}

/** An AwsError made by toAwsError keeps the SDK error as its cause: classify that. */
function original(err: unknown): unknown {
  return err instanceof SwarmAuditError && err.cause !== undefined ? err.cause : err;
}

/** The AWS error name ("ThrottlingException"), or the Node error code for network errors. */
export function awsErrorName(err: unknown): string {
  const e = asSdkError(err);
  if (err instanceof SwarmAuditError) return err.code;
  return e.name && e.name !== 'Error' ? e.name : (e.code ?? e.name ?? 'UnknownError');
}

export function isThrottling(err: unknown): boolean {
  const e = asSdkError(original(err));
  if (e.$retryable?.throttling === true) return true;
  if (e.$metadata?.httpStatusCode === 429) return true;
  return THROTTLING_NAMES.has(e.name ?? '') || THROTTLING_NAMES.has(e.code ?? '');
}

export function isCredentialsError(err: unknown): boolean {
  if (err instanceof AwsError && err.code === 'Credentials') return true;
  const e = asSdkError(original(err));
  return CREDENTIAL_NAMES.has(e.name ?? '') || CREDENTIAL_NAMES.has(e.code ?? '');
}

export function isAccessDenied(err: unknown): boolean {
  if (err instanceof AwsError && err.code === 'AccessDenied') return true;
  const e = asSdkError(original(err));
  return ACCESS_DENIED_NAMES.has(e.name ?? '') || ACCESS_DENIED_NAMES.has(e.code ?? '');
}

/** The request never got an answer: refused, reset, timed out, or the host name did not resolve. */
export function networkFailureCode(err: unknown): string | undefined {
  const e = asSdkError(original(err));
  const named = [e.code, e.name].find((c): c is string => c !== undefined && TRANSIENT_NETWORK_CODES.has(c));
  // the SDK re-wraps an error it cannot recognise as one (another realm) keeping only its text
  return named ?? [...TRANSIENT_NETWORK_CODES].find((code) => new RegExp(`\\b${code}\\b`).test(e.message ?? ''));
}

/** Throttling, server faults (5xx) and network failures: trying again may succeed. */
export function isRetryable(err: unknown): boolean {
  if (isThrottling(err)) return true;
  const source = original(err);
  if (source instanceof SwarmAuditError) return false;
  const e = asSdkError(source);
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (e.$fault === 'server') return true;
  if (TRANSIENT_NAMES.has(e.name ?? '')) return true;
  return TRANSIENT_NETWORK_CODES.has(e.code ?? '') || TRANSIENT_NETWORK_CODES.has(e.name ?? '');
}

/**
 * Turns an SDK error that is final into a typed error: credentials ->
 * AwsError 'Credentials' (the CLI exits 3), permission -> 'AccessDenied',
 * anything else keeps its AWS error name as the code. Typed errors pass through.
 */
export function toAwsError(err: unknown, operation: string): SwarmAuditError {
  if (err instanceof SwarmAuditError) return err;
  const name = awsErrorName(err);
  const message = asSdkError(err).message ?? String(err);
  if (isCredentialsError(err)) {
    return new AwsError('Credentials', `${operation}: AWS credentials are missing or invalid (${name}: ${message})`, { cause: err });
  }
  if (isAccessDenied(err)) {
    return new AwsError('AccessDenied', `${operation}: access denied (${name}: ${message})`, { cause: err });
  }
  return new AwsError(name, `${operation}: ${name}: ${message}`, { cause: err });
}
