import type { SsmApi } from '../../src/aws/ssm-api.js';
import { discoverFleet } from '../../src/fleet/discover.js';
import { parseTagArgs } from '../../src/fleet/tag-query.js';
import { FakeEc2, FakeSsmInventory, type InventoryInstance } from './helpers/fake-inventory.js';
import { seededRandom, VirtualClock } from './helpers/virtual-clock.js';

const fleet: InventoryInstance[] = [
  { id: 'i-0c', tags: { Swarm: 'prod', Name: 'mgr-1', Role: 'manager' }, ip: '10.0.0.3', groups: [{ id: 'sg-1', name: 'swarm' }], agent: { ping: 'Online' } },
  { id: 'i-0a', tags: { Swarm: 'prod', Role: 'worker' }, agent: { ping: 'ConnectionLost' } },
  { id: 'i-0b', tags: { Swarm: 'prod', Name: 'legacy' } }, // no agent
  { id: 'i-0d', tags: { Swarm: 'prod' }, agent: { ping: 'Online', platform: 'Windows' } },
  { id: 'i-0e', tags: { Swarm: 'prod' }, state: 'stopped', agent: { ping: 'Inactive' } },
  { id: 'i-0f', tags: { Swarm: 'stage' }, agent: { ping: 'Online' } },
  { id: 'i-0g', tags: { Other: 'x' }, agent: { ping: 'Online' } },
];

function setup(instances = fleet) {
  const ec2 = new FakeEc2(instances);
  const ssm = new FakeSsmInventory(instances);
  const deps = { ec2, ssm: ssm as unknown as SsmApi, clock: new VirtualClock(), random: seededRandom(1) };
  return { ec2, ssm, deps };
}

describe('discoverFleet', () => {
  it('finds instances in every state by tag over every page, joins agent status, keeps the unreachable ones, sorted', async () => {
    const { ec2, deps } = setup();
    const found = await discoverFleet(deps, parseTagArgs(['Swarm=prod'], []));
    expect(found.map((i) => i.instanceId)).toEqual(['i-0a', 'i-0b', 'i-0c', 'i-0d', 'i-0e']);
    expect(ec2.calls.length).toBe(2); // 5 matches, pages of 3
    // no instance-state-name filter: a stopped or terminated match is reported, never silently left out
    expect(ec2.calls[0].Filters).toEqual([{ Name: 'tag:Swarm', Values: ['prod'] }]);
    const byId = Object.fromEntries(found.map((i) => [i.instanceId, i]));
    expect(byId['i-0c']).toEqual({
      instanceId: 'i-0c',
      name: 'mgr-1',
      privateIp: '10.0.0.3',
      state: 'running',
      tags: { Swarm: 'prod', Name: 'mgr-1', Role: 'manager' },
      securityGroups: [{ groupId: 'sg-1', groupName: 'swarm' }],
      agent: { managed: true, pingStatus: 'Online', platformType: 'Linux', agentVersion: '3.3.0.0' },
      reachable: true,
    });
    expect(byId['i-0a']).toMatchObject({ reachable: false, unreachableReason: 'SSM agent ConnectionLost' });
    expect(byId['i-0b']).toMatchObject({
      name: 'legacy',
      agent: { managed: false },
      reachable: false,
      unreachableReason: 'no SSM agent registered (not a managed instance)',
    });
    expect(byId['i-0d']).toMatchObject({ reachable: false, unreachableReason: 'platform Windows not supported' });
    expect(byId['i-0e']).toMatchObject({ state: 'stopped', reachable: false, unreachableReason: 'instance is stopped: nothing runs to audit' });
  });

  it.each([
    ['stopped', 'instance is stopped: nothing runs to audit'],
    ['stopping', 'instance is stopping: nothing runs to audit'],
    ['shutting-down', 'instance is shutting-down: nothing runs to audit'],
    ['terminated', 'instance is terminated: nothing runs to audit'],
    ['pending', 'instance is pending (still starting): could not audit it yet'],
  ])('keeps a %s instance, unreachable whatever its agent says, with its state as the reason', async (state, reason) => {
    const { deps } = setup([{ id: 'i-0s', state, tags: { Swarm: 'x' }, agent: { ping: 'Online' } }]);
    const [found] = await discoverFleet(deps, parseTagArgs(['Swarm=x'], []));
    expect(found).toMatchObject({ instanceId: 'i-0s', state, reachable: false, unreachableReason: reason });
  });

  it('reads every page of DescribeInstanceInformation and asks only about the instances found', async () => {
    const { ssm, deps } = setup();
    await discoverFleet(deps, parseTagArgs(['Swarm=prod'], []));
    expect(ssm.calls.length).toBe(2); // 4 managed of 5, pages of 2
    expect(ssm.calls[0].Filters).toEqual([{ Key: 'InstanceIds', Values: ['i-0c', 'i-0a', 'i-0b', 'i-0d', 'i-0e'] }]);
  });

  it('asks SSM about at most 50 instance ids a call', async () => {
    const many: InventoryInstance[] = Array.from({ length: 120 }, (_, k) => ({
      id: `i-${String(k).padStart(4, '0')}`,
      tags: { Swarm: 'big' },
      agent: { ping: 'Online' as const },
    }));
    const { ssm, ec2, deps } = setup(many);
    ec2.pageSize = 1000;
    ssm.pageSize = 50;
    const found = await discoverFleet(deps, parseTagArgs(['Swarm=big'], []));
    expect(found).toHaveLength(120);
    expect(found.every((i) => i.reachable)).toBe(true);
    const asked = ssm.calls.map((c) => c.Filters![0].Values!);
    expect(asked.map((a) => a.length)).toEqual([50, 50, 20]);
    expect(new Set(asked.flat()).size).toBe(120);
  });

  it('ORs values of one key and requires every --tag-key', async () => {
    const { deps } = setup();
    const either = await discoverFleet(deps, parseTagArgs(['Swarm=prod,stage'], []));
    expect(either.map((i) => i.instanceId)).toEqual(['i-0a', 'i-0b', 'i-0c', 'i-0d', 'i-0e', 'i-0f']);
    const both = await discoverFleet(deps, parseTagArgs([], ['Swarm', 'Role']));
    expect(both.map((i) => i.instanceId)).toEqual(['i-0a', 'i-0c']);
  });

  it('retries throttled DescribeInstances calls', async () => {
    const { ec2, deps } = setup();
    ec2.throttleNext = 3;
    const found = await discoverFleet(deps, parseTagArgs(['Role=manager'], []));
    expect(found.map((i) => i.instanceId)).toEqual(['i-0c']);
    expect(ec2.calls.length).toBe(4);
  });

  it('returns an empty fleet without asking SSM when nothing matches', async () => {
    const { ssm, deps } = setup();
    expect(await discoverFleet(deps, parseTagArgs(['Swarm=none'], []))).toEqual([]);
    expect(ssm.calls).toHaveLength(0);
  });

  it('fails clearly on a pagination loop', async () => {
    const ec2 = {
      describeInstances: async () => ({ $metadata: {}, Reservations: [], NextToken: 'same' }),
      describeSecurityGroups: async () => ({ $metadata: {} }),
    };
    const { deps } = setup();
    await expect(discoverFleet({ ...deps, ec2 }, parseTagArgs(['a=b'], []))).rejects.toMatchObject({ code: 'PaginationLoop' });
  });

  it('queries agents 50 ids per call, a bounded number of calls at once, and joins every answer', async () => {
    const many: InventoryInstance[] = Array.from({ length: 420 }, (_, n) => ({
      id: `i-${String(n).padStart(4, '0')}`,
      tags: { Swarm: 'big' },
      agent: { ping: 'Online' as const },
    }));
    const { deps } = setup(many);
    const slow = new FakeSsmInventory(many);
    slow.pageSize = 50;
    let inFlight = 0;
    let peak = 0;
    const ssm = {
      describeInstanceInformation: async (input: Parameters<FakeSsmInventory['describeInstanceInformation']>[0]) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return slow.describeInstanceInformation(input);
      },
    };
    const found = await discoverFleet({ ...deps, ssm: ssm as unknown as SsmApi, concurrency: 3 }, parseTagArgs(['Swarm=big'], []));
    expect(found).toHaveLength(420);
    expect(found.every((i) => i.reachable)).toBe(true);
    expect(slow.calls).toHaveLength(9);
    expect(slow.calls.every((c) => c.Filters![0].Values!.length <= 50)).toBe(true);
    expect(peak).toBe(3);
  });
});
