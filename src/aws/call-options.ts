/** Per-call options every narrow AWS interface method accepts (all optional). */
export interface CallOptions {
  /** Aborts the HTTP request in flight (the runner uses it when its deadline expires). */
  abortSignal?: AbortSignal;
}
