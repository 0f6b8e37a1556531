import type { FleetInstance } from '../fleet/instance.js';

/** Discovery output: one row per instance, unreachable ones with their reason. */
export function formatFleetTable(instances: FleetInstance[]): string {
  // a listing of several scopes (discover --region a,b / --accounts-file) names each instance's account and region first
  const scoped = instances.some((i) => i.region !== undefined);
  const header = [...(scoped ? ['SCOPE'] : []), 'INSTANCE', 'NAME', 'PRIVATE IP', 'STATE', 'AGENT', 'PLATFORM', 'REACHABLE'];
  const rows = instances.map((i) => [
    ...(scoped ? [[i.accountId, i.region].filter(Boolean).join('/')] : []),
    i.instanceId,
    i.name ?? '-',
    i.privateIp ?? '-',
    i.state,
    i.agent.managed ? (i.agent.pingStatus ?? '?') : 'unmanaged',
    i.agent.platformType ?? '-',
    i.reachable ? 'yes' : `no: ${i.unreachableReason ?? 'unknown'}`,
  ]);
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => printable(r[col]).length)));
  const line = (cells: string[]) =>
    cells.map((c, col) => (col === cells.length - 1 ? printable(c) : printable(c).padEnd(widths[col]))).join('  ');
  const reachable = instances.filter((i) => i.reachable).length;
  return [line(header), ...rows.map(line), '', `${instances.length} instances, ${reachable} reachable`].join('\n');
}

export function formatFleetJson(instances: FleetInstance[]): string {
  return JSON.stringify({ instances }, null, 2);
}

/** Tag values are user data: keep control characters out of the terminal. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}
