/** The three ways one AWS call (with its retries) can end inside a run. */
export type CallResult<T> = { kind: 'ok'; value: T } | { kind: 'failed'; error: unknown } | { kind: 'stopped' };
