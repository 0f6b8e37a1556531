/**
 * `discover` through main() with a fake EC2 inventory and SSM agent list:
 * the table and the JSON it prints, the filters it sends, and exit 2 when
 * the query matches nothing or nothing auditable.
 */
import { FakeRegion } from '../helpers/fake-aws.js';
import { runCli } from '../helpers/run-cli.js';
import type { InventoryInstance } from '../../fleet/helpers/fake-inventory.js';

const MANAGER = 'i-0a1b2c3d4e5f60001';
const WORKER = 'i-0a1b2c3d4e5f60002';
const STOPPED = 'i-0a1b2c3d4e5f60003';
const OTHER = 'i-0a1b2c3d4e5f60004';

const INVENTORY: InventoryInstance[] = [
  { id: MANAGER, tags: { Swarm: 'prod', Name: 'manager-1' }, ip: '10.0.1.11', agent: { ping: 'Online' } },
  { id: WORKER, tags: { Swarm: 'prod', Name: 'worker-1' }, ip: '10.0.1.21', agent: { ping: 'Online' } },
  { id: STOPPED, state: 'stopped', tags: { Swarm: 'prod', Name: 'worker-2' }, agent: { ping: 'ConnectionLost' } },
  { id: OTHER, tags: { Swarm: 'staging', Name: 'stage-1' }, ip: '10.0.9.9', agent: { ping: 'Online' } },
];

const QUIET = ['--region', 'eu-west-1', '--log-level', 'silent'];

describe('discover', () => {
  it('prints the tagged instances as a table, the unreachable one with its reason, and exits 0', async () => {
    const fake = new FakeRegion({ inventory: INVENTORY });
    const { code, out, err, asked } = await runCli(['discover', '--tag', 'Swarm=prod', ...QUIET], { 'eu-west-1': fake });
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^INSTANCE\s+NAME\s+PRIVATE IP\s+STATE\s+AGENT\s+PLATFORM\s+REACHABLE$/);
    expect(lines.find((l) => l.startsWith(MANAGER))).toMatch(/manager-1\s+10\.0\.1\.11\s+running\s+Online\s+Linux\s+yes$/);
    expect(lines.find((l) => l.startsWith(STOPPED))).toMatch(/worker-2 .*stopped .*no: /);
    expect(out).not.toContain(OTHER);
    expect(out).toMatch(/3 instances, 2 reachable/);
    // one client set, for the flag's region; EC2 asked with the tag filter, SSM for the agents of what EC2 found
    expect(asked).toEqual([expect.objectContaining({ region: 'eu-west-1' })]);
    expect(fake.ec2.calls[0].Filters).toEqual(expect.arrayContaining([{ Name: 'tag:Swarm', Values: ['prod'] }]));
    const askedAgents = fake.agents.calls.flatMap((c) => c.Filters?.find((f) => f.Key === 'InstanceIds')?.Values ?? []);
    expect(new Set(askedAgents)).toEqual(new Set([MANAGER, WORKER, STOPPED]));
    // discovery sends nothing to the instances
    expect(fake.runCommandOps()).toEqual([]);
  });

  it('--output json lists every instance with its agent and reachability', async () => {
    const fake = new FakeRegion({ inventory: INVENTORY });
    const { code, out } = await runCli(['discover', '--tag', 'Swarm=prod', '--output', 'json', ...QUIET], { 'eu-west-1': fake });
    expect(code).toBe(0);
    const { instances } = JSON.parse(out) as { instances: { instanceId: string; reachable: boolean; name?: string; privateIp?: string; agent: { managed: boolean; pingStatus?: string } }[] };
    expect(instances.map((i) => i.instanceId).sort()).toEqual([MANAGER, WORKER, STOPPED].sort());
    expect(instances.find((i) => i.instanceId === MANAGER)).toMatchObject({ name: 'manager-1', privateIp: '10.0.1.11', reachable: true, agent: { managed: true, pingStatus: 'Online' } });
    expect(instances.find((i) => i.instanceId === STOPPED)).toMatchObject({ reachable: false });
  });

  it('a query that matches nothing is exit 2 with the query and region named, and no listing', async () => {
    const fake = new FakeRegion({ inventory: INVENTORY });
    const { code, out, err } = await runCli(['discover', '--tag', 'Swarm=prdo', ...QUIET], { 'eu-west-1': fake });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/no instance matched tag Swarm=prdo in eu-west-1/);
  });

  it('with --allow-empty the same query is an empty listing and exit 0', async () => {
    const fake = new FakeRegion({ inventory: INVENTORY });
    const { code, out } = await runCli(['discover', '--tag', 'Swarm=prdo', '--allow-empty', '--output', 'json', ...QUIET], { 'eu-west-1': fake });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ instances: [] });
  });

  it('matched but none auditable: the listing is printed as evidence, then exit 2', async () => {
    const fake = new FakeRegion({ inventory: INVENTORY });
    const { code, out, err } = await runCli(['discover', '--tag', 'Name=worker-2', ...QUIET], { 'eu-west-1': fake });
    expect(code).toBe(2);
    expect(out).toContain(STOPPED);
    expect(err).toMatch(/the 1 instance matching tag Name=worker-2 in eu-west-1 was skipped/);
  });

  it('--region a,b asks the factory for one client set per region and lists each instance with its scope', async () => {
    const west = new FakeRegion({ inventory: [INVENTORY[0]] });
    const east = new FakeRegion({ inventory: [{ id: 'i-0e0e0e0e0e0e0e0e1', tags: { Swarm: 'prod', Name: 'east-1' }, agent: { ping: 'Online' } }] });
    const { code, out, asked } = await runCli(['discover', '--tag', 'Swarm=prod', '--region', 'eu-west-1,us-east-1', '--log-level', 'silent'], {
      'eu-west-1': west,
      'us-east-1': east,
    });
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^SCOPE\s+INSTANCE/);
    expect(out).toMatch(/eu-west-1\s+i-0a1b2c3d4e5f60001\s+manager-1/);
    expect(out).toMatch(/us-east-1\s+i-0e0e0e0e0e0e0e0e1\s+east-1/);
    expect(asked.map((a) => a.region).filter((r) => r === 'us-east-1')).toHaveLength(1);
    expect(west.ec2.calls.length).toBeGreaterThan(0);
    expect(east.ec2.calls.length).toBeGreaterThan(0);
  });

  it('--role-arn-template over two accounts: each role assumed once, its second region signed with its first region\'s credentials; a refused role is an ERROR scope, exit 2', async () => {
    const role = (account: string) => `arn:aws:iam::${account}:role/SwarmAudit`;
    const instance = (id: string, name: string): InventoryInstance => ({ id, tags: { Swarm: 'prod', Name: name }, agent: { ping: 'Online' } });
    const ownAccount = new FakeRegion({ inventory: [] });
    const westA = new FakeRegion({ inventory: [instance('i-0aaaaaaaaaaaaaaa1', 'a-west')] });
    const eastA = new FakeRegion({ inventory: [instance('i-0aaaaaaaaaaaaaaa2', 'a-east')] });
    const refused = new FakeRegion({ inventory: [instance('i-0bbbbbbbbbbbbbbb1', 'b-west')] });
    const { code, out, err, asked, assumed } = await runCli(
      ['discover', '--tag', 'Swarm=prod', '--role-arn-template', 'arn:aws:iam::{account}:role/SwarmAudit', '--accounts', '111111111111,222222222222', '--region', 'eu-west-1,us-east-1', '--output', 'json', '--log-level', 'silent'],
      { 'eu-west-1': ownAccount },
      {
        [role('111111111111')]: { regions: { 'eu-west-1': westA, 'us-east-1': eastA } },
        [role('222222222222')]: { regions: { 'eu-west-1': refused, 'us-east-1': refused }, refusedWith: 'User is not authorized to perform: sts:AssumeRole' },
      },
    );
    expect(code).toBe(2);
    const listing = JSON.parse(out) as { instances: { instanceId: string; accountId?: string; region?: string }[]; scopes: { accountId?: string; region: string; status: string; cause?: string }[] };
    expect(listing.instances.map((i) => [i.accountId, i.region, i.instanceId])).toEqual(
      expect.arrayContaining([
        ['111111111111', 'eu-west-1', 'i-0aaaaaaaaaaaaaaa1'],
        ['111111111111', 'us-east-1', 'i-0aaaaaaaaaaaaaaa2'],
      ]),
    );
    expect(listing.instances).toHaveLength(2);
    expect(listing.scopes.filter((s) => s.status === 'ERROR').map((s) => `${s.accountId}/${s.region}`).sort()).toEqual(['222222222222/eu-west-1', '222222222222/us-east-1']);
    expect(err).toMatch(/scope 222222222222\/eu-west-1 not discovered: cannot assume arn:aws:iam::222222222222:role\/SwarmAudit: .*not authorized/);
    // each account's role is asked for in its first region only; its other region gets those credentials, not the role again
    const roleRequests = asked.filter((a) => a.roleArn !== undefined).map((a) => [a.roleArn, a.region]);
    expect(roleRequests).toEqual([
      [role('111111111111'), 'eu-west-1'],
      [role('222222222222'), 'eu-west-1'],
    ]);
    const eastRequests = asked.filter((a) => a.region === 'us-east-1');
    expect(eastRequests).toHaveLength(2);
    for (const request of eastRequests) expect(request).toMatchObject({ credentials: expect.any(Function) });
    expect(eastRequests.every((r) => r.roleArn === undefined)).toBe(true);
    expect(assumed.sort()).toEqual([role('111111111111'), role('222222222222')]);
    // the refused account's regions were never called
    expect(refused.ec2.calls).toEqual([]);
  });

  it('a refused flag is exit 3 before the factory is asked for any client', async () => {
    const { code, err, asked } = await runCli(['discover', '--tag', 'Swarm=prod', '--output', 'yaml', ...QUIET]);
    expect(code).toBe(3);
    expect(err).toMatch(/Invalid values:[\s\S]*output/);
    expect(asked).toEqual([]);
  });
});
