/** Read-only lookups over the fleet file shared by the EC2 and SSM handlers. */
import type { FleetFile, FleetFileInstance, FleetFileSecurityGroup } from '../fleet-file-types.js';

export class FleetIndex {
  private readonly byId: Map<string, FleetFileInstance>;
  private readonly groups: Map<string, FleetFileSecurityGroup>;

  constructor(readonly fleet: FleetFile) {
    this.byId = new Map(fleet.instances.map((i) => [i.instanceId, i]));
    this.groups = new Map((fleet.securityGroups ?? []).map((g) => [g.groupId, g]));
  }

  get instances(): readonly FleetFileInstance[] {
    return this.fleet.instances;
  }

  get securityGroups(): readonly FleetFileSecurityGroup[] {
    return this.fleet.securityGroups ?? [];
  }

  instance(id: string): FleetFileInstance | undefined {
    return this.byId.get(id);
  }

  securityGroup(id: string): FleetFileSecurityGroup | undefined {
    return this.groups.get(id);
  }
}

export function instanceState(instance: FleetFileInstance): string {
  return instance.state ?? 'running';
}

/** Managed = an SSM agent is registered for it (DescribeInstanceInformation lists it). */
export function isManaged(instance: FleetFileInstance | undefined): instance is FleetFileInstance & { agent: NonNullable<FleetFileInstance['agent']> } {
  return instance?.agent !== undefined;
}

/** Whether the agent would pick up a command now; otherwise it waits until the delivery timeout. */
export function agentPicksUpCommands(instance: FleetFileInstance): boolean {
  const agent = instance.agent;
  return (
    agent !== undefined &&
    agent.pingStatus === 'Online' &&
    (agent.behaviour ?? 'online') !== 'offline' &&
    instance.exec !== undefined &&
    instanceState(instance) === 'running'
  );
}

/** EC2 wildcard matching for filter values: `*` any run, `?` one character. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

/**
 * The part of the fleet a request sees: the instances of the caller's
 * account (its credentials' principal) in the region its signature names,
 * as EC2 and SSM are per account and region. An instance without its own
 * accountId / region is in the fleet's. A fleet file that names no
 * instance's account serves its instances to every account (and likewise
 * for regions), so single-account fleet files work as before, --role-arn
 * into another account included.
 */
export function scopedFleet(fleet: FleetFile, account: string, region: string): FleetFile {
  const byAccount = fleet.instances.some((i) => i.accountId !== undefined);
  const byRegion = fleet.instances.some((i) => i.region !== undefined);
  const instances = fleet.instances.filter(
    (i) => (!byAccount || (i.accountId ?? fleet.accountId) === account) && (!byRegion || (i.region ?? fleet.region) === region),
  );
  return { ...fleet, accountId: account, region, instances };
}
