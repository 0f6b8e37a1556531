/** A host-namespace fleet for endpoint integration tests (no netns, no docker). */
import type { FleetFile, FleetFileInstance } from '../../../packages/sandbox/src/fleet-file-types.js';

export const ONLINE = 'i-0aaaaaaaaaaaaaa01';
export const ONLINE_2 = 'i-0aaaaaaaaaaaaaa02';
export const OFFLINE = 'i-0aaaaaaaaaaaaaa03';
export const SLOW = 'i-0aaaaaaaaaaaaaa04';
export const CRASH = 'i-0aaaaaaaaaaaaaa05';
export const UNMANAGED = 'i-0aaaaaaaaaaaaaa06';
export const STOPPED = 'i-0aaaaaaaaaaaaaa07';
export const BULK = Array.from({ length: 12 }, (_, i) => `i-0bbbbbbbbbbbbbb${String(i).padStart(2, '0')}`);
export const GROUP = 'sg-0123456789abcdef0';

export function testFleet(overrides: Partial<FleetFile> = {}): FleetFile {
  const online = (id: string, extra: Partial<FleetFileInstance> = {}): FleetFileInstance => ({
    instanceId: id,
    tags: { Swarm: 'prod' },
    privateIpAddress: '10.0.0.11',
    agent: { pingStatus: 'Online' },
    exec: { env: { SANDBOX_INSTANCE: id } },
    securityGroups: [GROUP],
    ...extra,
  });
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    limits: { minDeliveryTimeoutSeconds: 1, maxConcurrentProcesses: 8 },
    securityGroups: [
      {
        groupId: GROUP,
        groupName: 'swarm-nodes',
        ingress: [
          { protocol: 'tcp', fromPort: 2377, toPort: 2377, sources: [GROUP] },
          { protocol: '50', sources: ['10.0.0.0/16'] },
        ],
      },
    ],
    instances: [
      online(ONLINE),
      online(ONLINE_2),
      online(OFFLINE, { agent: { pingStatus: 'Online', behaviour: 'offline' } }),
      online(SLOW, { tags: { Swarm: 'slow' }, agent: { pingStatus: 'Online', behaviour: 'slow', delayMs: 300 } }),
      online(CRASH, { tags: { Swarm: 'crash' }, agent: { pingStatus: 'Online', behaviour: 'crash', delayMs: 300 } }),
      { instanceId: UNMANAGED, tags: { Swarm: 'prod' } },
      { instanceId: STOPPED, state: 'stopped', tags: { Swarm: 'stopped' }, agent: { pingStatus: 'ConnectionLost' } },
      ...BULK.map((id) => ({ instanceId: id, tags: { Swarm: 'bulk' }, agent: { pingStatus: 'Online' as const } })),
    ],
    ...overrides,
  };
}

export const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
