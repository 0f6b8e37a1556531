/**
 * Who signs a request. Any access key not issued here belongs to the fleet's
 * account (as an IAM user "sandbox"); AssumeRole issues temporary keys
 * (ASIA...) that act as the role, in the role's account, until they expire.
 */
import { randomBytes } from 'node:crypto';

export interface Principal {
  account: string;
  arn: string;
  userId: string;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const BASE_USER_ID = 'AIDASANDBOXUSER00001';

export class Principals {
  private readonly issued = new Map<string, { principal: Principal; expiration: Date }>();

  constructor(private readonly accountId: string) {}

  /** The principal behind an access key; an expired temporary key is no one (undefined). */
  identify(accessKeyId: string, now = new Date()): Principal | undefined {
    const temporary = this.issued.get(accessKeyId);
    if (temporary) return temporary.expiration > now ? temporary.principal : undefined;
    return { account: this.accountId, arn: `arn:aws:iam::${this.accountId}:user/sandbox`, userId: BASE_USER_ID };
  }

  assumeRole(role: { account: string; name: string }, sessionName: string, durationSeconds: number, now = new Date()): { credentials: IssuedCredentials; principal: Principal } {
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase().slice(0, 16)}`;
    const principal: Principal = {
      account: role.account,
      arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
      userId: `${roleId}:${sessionName}`,
    };
    const credentials: IssuedCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(64).toString('base64'),
      expiration: new Date(now.getTime() + durationSeconds * 1000),
    };
    this.issued.set(credentials.accessKeyId, { principal, expiration: credentials.expiration });
    return { credentials, principal };
  }
}
