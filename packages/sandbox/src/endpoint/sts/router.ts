/**
 * STS (query protocol, XML in https://sts.amazonaws.com/doc/2011-06-15/):
 * GetCallerIdentity, and AssumeRole as the SDK's fromTemporaryCredentials
 * (--role-arn) calls it. Shapes and limits from the STS API model.
 */
import type { QueryParams } from '../ec2/query-params.js';
import { escapeXml, renderXml, type XmlNode } from '../ec2/xml.js';
import type { StsOperation } from '../operations.js';
import { ServiceError } from '../service-error.js';
import type { Principal, Principals } from './principals.js';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43_200;
const DEFAULT_DURATION_SECONDS = 3_600;

export interface StsRequest {
  principals: Principals;
  /** The signer, already identified from the Authorization header. */
  caller: Principal;
  params: QueryParams;
  /** The fleet file's assumableRoles: any other role is AccessDenied. Absent: every role. */
  assumableRoles?: readonly string[];
}

const HANDLERS: Record<StsOperation, (request: StsRequest) => XmlNode> = {
  GetCallerIdentity: ({ caller }) => ({ Arn: caller.arn, UserId: caller.userId, Account: caller.account }),
  AssumeRole: assumeRole,
};

export function handleSts(action: string, request: StsRequest): XmlNode {
  if (!Object.hasOwn(HANDLERS, action)) {
    throw new ServiceError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
  }
  return HANDLERS[action as StsOperation](request);
}

function assumeRole({ principals, params, caller, assumableRoles }: StsRequest): XmlNode {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  if (roleArn === undefined) throw validation('roleArn', 'null', 'Member must not be null');
  if (sessionName === undefined) throw validation('roleSessionName', 'null', 'Member must not be null');
  const role = ROLE_ARN.exec(roleArn);
  if (!role) throw validation('roleArn', roleArn, 'Member must be a role ARN (arn:aws:iam::<12 digits>:role/<name>)');
  if (!SESSION_NAME.test(sessionName)) throw validation('roleSessionName', sessionName, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*, length 2..64');
  if (assumableRoles !== undefined && !assumableRoles.includes(roleArn)) {
    // AWS's answer when the role does not exist or does not trust the caller: the two are not told apart
    throw new ServiceError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  const duration = Number(params.get('DurationSeconds') ?? DEFAULT_DURATION_SECONDS);
  if (!Number.isInteger(duration) || duration < MIN_DURATION_SECONDS || duration > MAX_DURATION_SECONDS) {
    throw validation('durationSeconds', String(params.get('DurationSeconds')), `Member must have value between ${MIN_DURATION_SECONDS} and ${MAX_DURATION_SECONDS}`);
  }
  const { credentials, principal } = principals.assumeRole({ account: role[1], name: role[2] }, sessionName, duration);
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: credentials.expiration.toISOString(),
    },
    AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
  };
}

function validation(member: string, value: string, constraint: string): ServiceError {
  return new ServiceError('ValidationError', `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

export function stsResponse(action: string, requestId: string, result: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${STS_NAMESPACE}"><${action}Result>${renderXml(result)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function stsErrorResponse(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
