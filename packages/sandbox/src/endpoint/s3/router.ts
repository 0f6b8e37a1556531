/**
 * The S3 REST API, path-style (`/bucket/key`), for the calls swarm-audit
 * makes and tests need: PutObject, GetObject, ListObjectsV2 (prefix,
 * max-keys 1..1000, continuation-token, start-after). Errors as S3 writes them: XML
 * `<Error><Code>` with NoSuchBucket / NoSuchKey (404), InvalidArgument (400).
 */
import { ServiceError } from '../service-error.js';
import { escapeXml } from '../ec2/xml.js';
import type { ObjectStore } from './object-store.js';

export interface S3Request {
  method: string;
  /** The decoded path, `/bucket/key...`. */
  path: string;
  query: URLSearchParams;
  body: Buffer;
}

export interface S3Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** The operation name (for stats and faults) of a path-style S3 request. */
export function s3Operation(req: Pick<S3Request, 'method' | 'path' | 'query'>): string {
  const { key } = splitPath(req.path);
  if (req.method === 'PUT' && key) return 'PutObject';
  if ((req.method === 'GET' || req.method === 'HEAD') && key) return 'GetObject';
  if (req.method === 'GET' && req.query.get('list-type') === '2') return 'ListObjectsV2';
  return `S3 ${req.method}${key ? ' object' : ' bucket'}`;
}

export function handleS3(store: ObjectStore, req: S3Request): S3Answer {
  const { bucket, key } = splitPath(req.path);
  switch (s3Operation(req)) {
    case 'PutObject': {
      const object = store.put(bucket, key, req.body);
      return { status: 200, headers: { etag: object.etag }, body: '' };
    }
    case 'GetObject': {
      if (!store.hasBucket(bucket)) throw new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404);
      const object = store.get(bucket, key);
      if (!object) throw new ServiceError('NoSuchKey', 'The specified key does not exist.', 404);
      return {
        status: 200,
        headers: { 'content-type': 'application/octet-stream', etag: object.etag, 'last-modified': new Date(object.lastModified).toUTCString() },
        body: req.method === 'HEAD' ? '' : object.body,
      };
    }
    case 'ListObjectsV2':
      return listObjectsV2(store, bucket, req.query);
    default:
      throw new ServiceError('NotImplemented', `The sandbox S3 does not implement ${req.method} ${req.path}.`, 501);
  }
}

function listObjectsV2(store: ObjectStore, bucket: string, query: URLSearchParams): S3Answer {
  if (!store.hasBucket(bucket)) throw new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404);
  const prefix = query.get('prefix') ?? '';
  const maxKeys = Number(query.get('max-keys') ?? 1000);
  if (!Number.isInteger(maxKeys) || maxKeys < 0 || maxKeys > 1000) throw new ServiceError('InvalidArgument', 'max-keys must be 0 to 1000.');
  const token = query.get('continuation-token');
  const keys = store.keys(bucket, prefix);
  // start-after applies to the first page only; a continuation token carries its own position (S3 ListObjectsV2)
  const after = token === null ? query.get('start-after') : Buffer.from(token, 'base64').toString('utf8');
  const start = after === null ? 0 : keys.findIndex((key) => key > after);
  const page = start < 0 ? [] : keys.slice(start, start + maxKeys);
  const truncated = start >= 0 && start + maxKeys < keys.length;
  const contents = page
    .map((key) => {
      const object = store.get(bucket, key)!;
      return `<Contents><Key>${escapeXml(key)}</Key><LastModified>${new Date(object.lastModified).toISOString()}</LastModified><ETag>${escapeXml(object.etag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  const next = truncated ? `<NextContinuationToken>${Buffer.from(page.at(-1)!, 'utf8').toString('base64')}</NextContinuationToken>` : '';
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${S3_NAMESPACE}"><Name>${escapeXml(bucket)}</Name>` +
    `<Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
    `<IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
}

export function s3ErrorXml(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`;
}

function splitPath(path: string): { bucket: string; key: string } {
  const trimmed = path.replace(/^\//, '');
  const slash = trimmed.indexOf('/');
  return slash < 0 ? { bucket: trimmed, key: '' } : { bucket: trimmed.slice(0, slash), key: trimmed.slice(slash + 1) };
}

/** Request bodies the SDK streams as `aws-chunked` (size;signature CRLF data CRLF ... 0 CRLF trailers): the payload alone. */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw new ServiceError('IncompleteBody', 'aws-chunked body ends inside a chunk header.');
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size)) throw new ServiceError('IncompleteBody', 'aws-chunked body has a bad chunk size.');
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
