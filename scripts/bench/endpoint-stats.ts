/** Reads the endpoint's counters over HTTP, as an outside observer would (GET /_sandbox/stats). */
import type { EndpointStats } from '../../src/sandbox/endpoint/server.js';
import { ToolError } from '../../src/errors.js';

export async function fetchEndpointStats(url: string): Promise<EndpointStats> {
  const response = await fetch(new URL('/_sandbox/stats', url));
  if (!response.ok) throw new ToolError('BenchStats', `GET /_sandbox/stats answered ${response.status}`);
  return (await response.json()) as EndpointStats;
}

export function sumOf(counter: Record<string, number>): number {
  return Object.values(counter).reduce((sum, n) => sum + n, 0);
}
