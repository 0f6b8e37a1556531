import { resolveAccountId } from '../../src/aws/sts-account.js';
import type { StsApi } from '../../src/aws/sts-api.js';
import { UsageError } from '../../src/errors.js';

function fakeSts(account: string | undefined) {
  const calls: number[] = [];
  const sts: StsApi = {
    async getCallerIdentity() {
      calls.push(1);
      return { $metadata: {}, Account: account, Arn: 'arn:aws:iam::123456789012:user/x', UserId: 'AIDA' };
    },
  };
  return { sts, calls };
}

describe('resolveAccountId', () => {
  test('--account-id wins and STS is not called', async () => {
    const { sts, calls } = fakeSts('123456789012');
    await expect(resolveAccountId(sts, '210987654321')).resolves.toBe('210987654321');
    expect(calls).toEqual([]);
  });

  test('a malformed --account-id is a usage error, never sent on', async () => {
    const { sts } = fakeSts('123456789012');
    await expect(resolveAccountId(sts, '1234')).rejects.toThrow(UsageError);
    await expect(resolveAccountId(sts, '')).rejects.toThrow(/12 digits/);
  });

  test('otherwise the account of the credentials (GetCallerIdentity)', async () => {
    const { sts, calls } = fakeSts('123456789012');
    await expect(resolveAccountId(sts, undefined)).resolves.toBe('123456789012');
    expect(calls).toHaveLength(1);
  });

  test('an answer without a 12-digit account is an error, never a placeholder', async () => {
    await expect(resolveAccountId(fakeSts(undefined).sts, undefined)).rejects.toThrow(/AccountId|--account-id/);
    await expect(resolveAccountId(fakeSts('000').sts, undefined)).rejects.toThrow(UsageError);
  });
});
