/**
 * runAudit end to end over the narrow AWS interfaces (fake EC2 inventory,
 * fake SSM Run Command on virtual time): what the audit reports for a query
 * that selects nothing, instances it skips, and a run interrupted by a signal.
 */
import type { DescribeInstanceInformationCommandInput, DescribeInstanceInformationCommandOutput } from '@aws-sdk/client-ssm';
import { runAudit, type AuditOptions } from '../../src/audit/run-audit.js';
import { allChecks } from '../../src/checks/registry.js';
import { InterruptedError } from '../../src/cli/interruption.js';
import { exitCodeFor } from '../../src/engine/exit-code.js';
import { NothingToAuditError } from '../../src/errors.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeEc2, FakeSsmInventory, type InventoryInstance } from '../fleet/helpers/fake-inventory.js';
import { FakeSsm, type InstanceScript } from '../fleet/helpers/fake-ssm.js';
import { seededRandom, VirtualClock } from '../fleet/helpers/virtual-clock.js';
import { fixture } from '../probe/frame-builder.js';

const RUNNING = 'i-0000000000000run1';
const SLOW = 'i-0000000000000slow';
const STOPPED = 'i-00000000000stopped';
const TERMINATED = 'i-000000000terminated';
const PENDING = 'i-00000000000pending';
const NO_AGENT = 'i-0000000000noagent';
const LOST = 'i-000000000000000lost';
const WINDOWS = 'i-00000000000windows';

/** Run Command from FakeSsm, agent registrations from the inventory: the SSM discovery and the runner both see. */
class FleetSsm extends FakeSsm {
  constructor(clock: VirtualClock, script: (id: string) => InstanceScript, private readonly agents: FakeSsmInventory) {
    super(clock, script);
  }

  override describeInstanceInformation(input: DescribeInstanceInformationCommandInput = {}): Promise<DescribeInstanceInformationCommandOutput> {
    return this.agents.describeInstanceInformation(input);
  }
}

const MIXED: InventoryInstance[] = [
  { id: RUNNING, tags: { Swarm: 'prod', Name: 'manager-1' }, ip: '10.77.0.11', agent: { ping: 'Online' } },
  { id: STOPPED, state: 'stopped', tags: { Swarm: 'prod' }, agent: { ping: 'ConnectionLost' } },
  { id: TERMINATED, state: 'terminated', tags: { Swarm: 'prod' } },
  { id: PENDING, state: 'pending', tags: { Swarm: 'prod' }, agent: { ping: 'Online' } },
  { id: NO_AGENT, tags: { Swarm: 'prod' } },
  { id: LOST, tags: { Swarm: 'prod' }, agent: { ping: 'ConnectionLost' } },
  { id: WINDOWS, tags: { Swarm: 'prod' }, agent: { ping: 'Online', platform: 'Windows' } },
];

function setup(inventory: InventoryInstance[], script: (id: string) => InstanceScript = () => ({ stdout: fixture('manager-bound') })) {
  const clock = new VirtualClock();
  const commands = new FleetSsm(clock, script, new FakeSsmInventory(inventory));
  const ec2 = new FakeEc2(inventory);
  // clock and random reach discovery and the runner through the same deps object
  const deps = { ssm: commands, ec2, logger: silentLogger(), region: 'eu-west-1', clock, random: seededRandom(3) };
  const audit = (options: Partial<AuditOptions> = {}) =>
    runAudit(deps, {
      tags: ['Swarm=prod'],
      tagKeys: [],
      checks: [...allChecks],
      config: { checks: {} },
      concurrency: 4,
      timeoutMs: 120_000,
      ...options,
    });
  return { clock, commands, ec2, audit };
}

describe('runAudit: a query that selects nothing is not a pass', () => {
  it('throws NoInstanceMatched naming the query and the region, and sends nothing', async () => {
    const { audit, commands } = setup(MIXED);
    const run = audit({ tags: ['Swarm=prdo'] });
    await expect(run).rejects.toBeInstanceOf(NothingToAuditError);
    await expect(audit({ tags: ['Swarm=prdo'] })).rejects.toMatchObject({
      code: 'NoInstanceMatched',
      source: 'scope',
      message: 'no instance matched tag Swarm=prdo in eu-west-1',
    });
    expect(commands.calls).toHaveLength(0);
  });

  it('names every filter of a compound query', async () => {
    const { audit } = setup(MIXED);
    await expect(audit({ tags: ['Swarm=prdo,stage', 'Role=manager'], tagKeys: ['Env'] })).rejects.toThrow(
      'no instance matched tag Swarm=prdo,stage and tag Role=manager and tag-key Env in eu-west-1',
    );
  });

  it('with allowEmpty gives an empty report whose exit code is 0', async () => {
    const { audit } = setup(MIXED);
    const { report } = await audit({ tags: ['Swarm=prdo'], allowEmpty: true });
    expect(report.instances).toEqual([]);
    expect(report.results).toEqual([]);
    expect(exitCodeFor(report, 'fail')).toBe(0);
  });

  it('throws NoInstanceAuditable when every matched instance is skipped, with the count and the reasons', async () => {
    const skipped = MIXED.filter((i) => i.id !== RUNNING);
    const { audit, commands } = setup(skipped);
    await expect(audit()).rejects.toMatchObject({
      code: 'NoInstanceAuditable',
      message:
        'all 6 instances matching tag Swarm=prod in eu-west-1 were skipped, none could be audited: ' +
        '1 x SSM agent ConnectionLost; 1 x instance is pending (still starting): could not audit it yet; ' +
        '1 x instance is stopped: nothing runs to audit; 1 x instance is terminated: nothing runs to audit; ' +
        '1 x no SSM agent registered (not a managed instance); 1 x platform Windows not supported',
    });
    expect(commands.callsOf('SendCommand')).toHaveLength(0);
  });

  it('a stopped-only fleet would otherwise be all NOT_APPLICABLE and exit 0: refused unless allowEmpty', async () => {
    const stoppedOnly = [MIXED[1], MIXED[2]];
    const { audit } = setup(stoppedOnly);
    await expect(audit()).rejects.toMatchObject({ code: 'NoInstanceAuditable' });
    const { report } = await audit({ allowEmpty: true });
    expect(new Set(report.results.map((r) => r.status))).toEqual(new Set(['NOT_APPLICABLE']));
    expect(exitCodeFor(report, 'fail')).toBe(0);
  });
});

describe('runAudit: every matched instance is reported', () => {
  it('reports the skipped instances per check: at rest NOT_APPLICABLE, running or starting but unreachable ERROR; only the running one is sent the probe', async () => {
    const { audit, commands } = setup(MIXED);
    const { report } = await audit();
    expect(report.instances.map((i) => i.instanceId).sort()).toEqual(MIXED.map((i) => i.id).sort());
    expect(commands.callsOf('SendCommand').map((c) => (c.input as { InstanceIds: string[] }).InstanceIds)).toEqual([[RUNNING]]);

    const expected: Record<string, { status: string; message: string }> = {
      [STOPPED]: { status: 'NOT_APPLICABLE', message: 'instance is stopped: nothing runs to audit' },
      [TERMINATED]: { status: 'NOT_APPLICABLE', message: 'instance is terminated: nothing runs to audit' },
      [PENDING]: { status: 'ERROR', message: 'not audited: instance is pending (still starting): could not audit it yet' },
      [NO_AGENT]: { status: 'ERROR', message: 'not audited: no SSM agent registered (not a managed instance)' },
      [LOST]: { status: 'ERROR', message: 'not audited: SSM agent ConnectionLost' },
      [WINDOWS]: { status: 'ERROR', message: 'not audited: platform Windows not supported' },
    };
    for (const [instanceId, { status, message }] of Object.entries(expected)) {
      const results = report.results.filter((r) => r.instanceId === instanceId);
      expect(results.map((r) => r.checkId).sort()).toEqual(allChecks.map((c) => c.meta.id).sort());
      for (const r of results) expect(r).toMatchObject({ status, message, resource: { type: 'node', id: instanceId } });
      expect(report.instances.find((i) => i.instanceId === instanceId)).toMatchObject({ reachable: false, error: message });
    }
    expect(report.results.filter((r) => r.instanceId === RUNNING).every((r) => r.status !== 'ERROR')).toBe(true);
  });
});

describe('runAudit: interrupted', () => {
  it('cancels what still runs, reports it ERROR with the signal, and keeps what finished', async () => {
    const inventory: InventoryInstance[] = [
      { id: RUNNING, tags: { Swarm: 'prod' }, ip: '10.77.0.11', agent: { ping: 'Online' } },
      { id: SLOW, tags: { Swarm: 'prod' }, ip: '10.77.0.12', agent: { ping: 'Online' } },
    ];
    const { audit, commands, clock } = setup(inventory, (id) =>
      id === SLOW ? { runMs: Infinity, waitingStatus: 'InProgress' } : { stdout: fixture('manager-bound'), runMs: 1_000 },
    );
    const controller = new AbortController();
    void clock.sleep(5_000).then(() => controller.abort(new InterruptedError('SIGTERM')));
    const { report } = await audit({ signal: controller.signal });

    expect(clock.now()).toBeLessThan(10_000);
    expect(commands.callsOf('CancelCommand').map((c) => c.input)).toEqual([{ CommandId: 'cmd-0001', InstanceIds: [SLOW] }]);
    const slow = report.results.filter((r) => r.instanceId === SLOW);
    expect(slow).toHaveLength(allChecks.length);
    for (const r of slow) {
      expect(r.status).toBe('ERROR');
      expect(r.message).toMatch(/the run was cancelled by SIGTERM\b.*; cancel requested/);
    }
    expect(report.results.filter((r) => r.instanceId === RUNNING).some((r) => r.status === 'PASS')).toBe(true);
  });
});

describe('runAudit: delivery window', () => {
  it('sends --delivery-timeout as SSM TimeoutSeconds; without it, the run’s remaining time', async () => {
    const only = [MIXED[0]];
    const given = setup(only);
    await given.audit({ deliveryTimeoutSeconds: 45 });
    expect(given.commands.callsOf('SendCommand').map((c) => (c.input as { TimeoutSeconds?: number }).TimeoutSeconds)).toEqual([45]);

    const derived = setup(only);
    await derived.audit();
    expect(derived.commands.callsOf('SendCommand').map((c) => (c.input as { TimeoutSeconds?: number }).TimeoutSeconds)).toEqual([120]);
  });
});
