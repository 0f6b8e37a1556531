import { access } from 'node:fs/promises';
import { UsageError } from '../../../../src/errors.js';
import { cidrsOverlap, parseCidr } from './cidr.js';
import { run, runOk } from './exec.js';
import type { NodeLayout, SandboxLayout } from './layout.js';

const IP_TIMEOUT_MS = 10_000;

/**
 * Refuses a subnet that any route or address of the host already covers:
 * another sandbox, or a real network the nodes must never shadow.
 */
export async function assertSubnetFree(subnet: string): Promise<void> {
  const wanted = parseCidr(subnet)!;
  const routes = JSON.parse(await runOk('ip', ['-j', '-4', 'route', 'show', 'table', 'all'], { timeoutMs: IP_TIMEOUT_MS })) as { dst?: string }[];
  const addresses = JSON.parse(await runOk('ip', ['-j', '-4', 'addr', 'show'], { timeoutMs: IP_TIMEOUT_MS })) as {
    ifname: string;
    addr_info?: { local: string; prefixlen: number }[];
  }[];
  const taken = [
    ...routes.map((r) => r.dst).filter((d): d is string => d !== undefined && d !== 'default'),
    ...addresses.flatMap((a) => (a.addr_info ?? []).map((i) => `${i.local}/32`)),
  ];
  for (const text of taken) {
    const cidr = parseCidr(text.includes('/') ? text : `${text}/32`);
    if (cidr && cidr.prefixLength > 0 && cidrsOverlap(cidr, wanted)) {
      throw new UsageError(
        `subnet ${subnet} is already in use on this host (${text}): another sandbox is up, or pick another "subnet" in the spec`,
        'SandboxSubnetInUse',
      );
    }
  }
}

export async function createBridge(layout: SandboxLayout): Promise<void> {
  const prefixLength = layout.bridge.cidr.split('/')[1];
  await ip(['link', 'add', layout.bridge.name, 'type', 'bridge']);
  await ip(['addr', 'add', `${layout.bridge.address}/${prefixLength}`, 'dev', layout.bridge.name]);
  await ip(['link', 'set', layout.bridge.name, 'up']);
}

export async function createNetns(node: NodeLayout): Promise<void> {
  await ip(['netns', 'add', node.netns]);
}

/**
 * A veth pair: the host end on the bridge, the other end born inside the
 * node's namespace as eth0. No default route on purpose: dockerd tries to
 * pull images for services, and without a route that fails at once instead
 * of sending DNS queries off the machine.
 */
export async function wireNode(node: NodeLayout, layout: SandboxLayout): Promise<void> {
  const prefixLength = layout.bridge.cidr.split('/')[1];
  await ip(['link', 'add', node.hostLink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.netns]);
  await ip(['link', 'set', node.hostLink, 'master', layout.bridge.name, 'up']);
  await ip(['-n', node.netns, 'addr', 'add', `${node.address}/${prefixLength}`, 'dev', 'eth0']);
  await ip(['-n', node.netns, 'link', 'set', 'eth0', 'up']);
  await ip(['-n', node.netns, 'link', 'set', 'lo', 'up']);
}

export async function netnsExists(name: string): Promise<boolean> {
  return access(`/var/run/netns/${name}`).then(
    () => true,
    () => false,
  );
}

export async function linkExists(name: string): Promise<boolean> {
  return (await run('ip', ['link', 'show', 'dev', name], { timeoutMs: IP_TIMEOUT_MS })).code === 0;
}

/** Deletes a namespace if present; idempotent. */
export async function deleteNetns(name: string): Promise<void> {
  if (!(await netnsExists(name))) return;
  await ip(['netns', 'del', name]);
}

/** Deletes a link if present; idempotent (a veth may vanish on its own when its peer's namespace goes). */
export async function deleteLink(name: string): Promise<void> {
  if (!(await linkExists(name))) return;
  const result = await run('ip', ['link', 'del', 'dev', name], { timeoutMs: IP_TIMEOUT_MS });
  if (result.code !== 0 && (await linkExists(name))) await ip(['link', 'del', 'dev', name]);
}

async function ip(args: string[]): Promise<void> {
  await runOk('ip', args, { timeoutMs: IP_TIMEOUT_MS });
}
