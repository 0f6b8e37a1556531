import { isRetryable, toAwsError } from './aws-errors.js';

/**
 * Runs one SDK call. Errors that retrying may cure (throttling, 5xx, network)
 * are rethrown untouched so callers can back off and classify them; final
 * ones become typed errors (AwsError 'Credentials' / 'AccessDenied' / the AWS name).
 */
export async function mapFinalError<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isRetryable(err)) throw err;
    throw toAwsError(err, operation);
  }
}
