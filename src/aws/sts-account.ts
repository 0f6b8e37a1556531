/**
 * The AWS account the findings belong to: `--account-id` when given,
 * otherwise the account of the credentials in use (STS GetCallerIdentity,
 * after --role-arn's AssumeRole, through --endpoint-url). Never a placeholder:
 * anything but 12 digits is an error.
 */
import { UsageError } from '../errors.js';
import type { StsApi } from './sts-api.js';

const ACCOUNT_ID = /^\d{12}$/;

export async function resolveAccountId(sts: StsApi, explicit: string | undefined): Promise<string> {
  if (explicit !== undefined) {
    if (!ACCOUNT_ID.test(explicit)) throw new UsageError(`--account-id must be 12 digits, got "${explicit}"`, 'AccountIdInvalid');
    return explicit;
  }
  const identity = await sts.getCallerIdentity();
  const account = identity.Account;
  if (account === undefined || !ACCOUNT_ID.test(account)) {
    throw new UsageError(`STS GetCallerIdentity answered no 12-digit account (got "${account ?? ''}"); pass --account-id`, 'AccountIdUnknown');
  }
  return account;
}
