/**
 * Checks that a request carries a SigV4 Authorization header of the right
 * shape. The signature itself is not verified (there are no real secrets
 * here); what matters is that clients sign like they would against AWS.
 */
import { ServiceError } from './service-error.js';

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=([A-Za-z0-9]{1,128})\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;.-]+), ?Signature=([0-9a-f]{64})$/;

export interface Credential {
  accessKeyId: string;
  region: string;
  service: string;
}

export function checkSigV4(headers: Record<string, string | string[] | undefined>): Credential {
  const auth = headers.authorization;
  if (auth === undefined || auth === '') {
    throw new ServiceError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  }
  const match = SIGV4.exec(String(auth));
  if (!match) {
    throw new ServiceError(
      'IncompleteSignature',
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters (AWS4-HMAC-SHA256).",
      400,
    );
  }
  const signed = match[5].split(';');
  if (!signed.includes('host') || (headers['x-amz-date'] === undefined && !signed.includes('date'))) {
    throw new ServiceError('IncompleteSignature', 'Signature must cover the host header and carry X-Amz-Date.', 400);
  }
  return { accessKeyId: match[1], region: match[3], service: match[4] };
}
