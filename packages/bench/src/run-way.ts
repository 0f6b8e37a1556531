/**
 * Runs one way against a fresh endpoint (same fleet, same faults, token
 * buckets full), the way itself in a child process so its peak RSS is its
 * own; the endpoint's counters give the calls per operation.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ToolError } from '../../../src/errors.js';
import type { FleetFile } from '../../sandbox/src/fleet-file-types.js';
import { startEndpoint, type EndpointStats } from '../../sandbox/src/endpoint/server.js';
import type { WayFigures } from './figures.js';
import type { WayInput, WayName, WayResult } from './ways/way-input.js';

const CHILD = fileURLToPath(new URL('./ways/way-child.js', import.meta.url));

export async function runWay(way: WayName, fleet: FleetFile, concurrency: number): Promise<WayFigures> {
  const endpoint = await startEndpoint({ fleet, port: 0 });
  try {
    const input: WayInput = { way, endpointUrl: endpoint.url, instances: fleet.instances.length, concurrency };
    const result = await runChild(input);
    const stats = endpoint.stats();
    return { ...result, ranInstances: fleet.instances.length, calls: stats.requests, throttled: stats.throttled, otherErrors: otherErrors(stats) };
  } finally {
    await endpoint.close();
  }
}

function runChild(input: WayInput): Promise<WayResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', CHILD, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') {
        reject(new ToolError('BenchWayFailed', `the ${input.way} way exited ${code} without figures`));
        return;
      }
      resolve(JSON.parse(line) as WayResult);
    });
  });
}

/** Error answers that were not injected throttling (e.g. InvocationDoesNotExist). */
function otherErrors(stats: EndpointStats): Record<string, number> {
  const other: Record<string, number> = {};
  for (const [operation, count] of Object.entries(stats.errors)) {
    const rest = count - (stats.throttled[operation] ?? 0) - (stats.serverErrors[operation] ?? 0);
    if (rest > 0) other[operation] = rest;
  }
  return other;
}
