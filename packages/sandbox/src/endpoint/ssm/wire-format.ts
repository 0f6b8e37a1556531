/** Serialization helpers for SSM responses: epoch seconds, ISO strings and empty sub-structures as AWS sends them. */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

export function isoOrEmpty(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString();
}

/** ISO 8601 duration as GetCommandInvocation reports it, e.g. "PT0.056S". */
export function elapsed(startMs: number | undefined, endMs: number | undefined): string {
  if (startMs === undefined || endMs === undefined) return '';
  return `PT${((endMs - startMs) / 1000).toFixed(3)}S`;
}

export const EMPTY_NOTIFICATION_CONFIG = { NotificationArn: '', NotificationEvents: [], NotificationType: '' };
export const EMPTY_CLOUDWATCH_CONFIG = { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false };
