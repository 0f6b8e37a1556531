/**
 * The overlay-network migration steps, intent -> step: create the encrypted
 * network, move each service across (keeping its aliases and driver options),
 * then remove the old network. Each intent carries the pre-change facts its
 * undo needs (the removed network's spec, the service's original attachment).
 */
import { dockerName } from '../quote.js';
import { arr, bool, obj, type Reader } from '../schema.js';
import { dockerNameField, networkSpecField, optionMapField } from './intent-fields.js';
import type { StepBody } from '../plan.js';
import { type NetworkSpec, script } from './scripts.js';
import { attachmentArg, networkParams } from './script-values.js';

/** What goes with a service to every network it moves to. */
interface AttachmentCopy {
  aliases: string[];
  driverOpts: Record<string, string>;
}

const attachmentField: Reader<AttachmentCopy> = obj<AttachmentCopy>({ aliases: arr(dockerNameField), driverOpts: optionMapField });

export interface NetworkCreateIntent {
  network: NetworkSpec;
  /** The unencrypted (or intermediate) network it replaces. */
  replaces: string;
}

export const readNetworkCreate = obj<NetworkCreateIntent>({ network: networkSpecField, replaces: dockerNameField });

export function networkCreateStep({ network: to, replaces }: NetworkCreateIntent, instanceId: string): StepBody {
  return {
    title: `create encrypted network ${to.name}${to.subnet ? ` on ${to.subnet}` : ''}`,
    why: `${replaces} is not encrypted and encryption cannot be changed in place; ${to.name} copies its labels, options, attachable, internal and IPAM${to.subnet ? ' on a subnet that overlaps nothing in the cluster' : ''}`,
    downtime: 'none',
    precondition: {
      script: script('network-steps.network-create.check', { NETWORK: dockerName(to.name) }),
      expect: `${to.name} does not exist yet (or exists encrypted from an earlier run)`,
    },
    script: script('network-steps.network-create', networkParams({ ...to, encrypted: true })),
    inverse: { instanceId, script: script('network-steps.network-rm', { NETWORK: dockerName(to.name) }) },
  };
}

export interface ServiceNetworkAddIntent {
  service: string;
  network: string;
  attachment: AttachmentCopy;
  /** One replica: its task is replaced stop-first, a short outage. */
  singleReplica: boolean;
}

export const readServiceNetworkAdd = obj<ServiceNetworkAddIntent>({
  service: dockerNameField,
  network: dockerNameField,
  attachment: attachmentField,
  singleReplica: bool,
});

function serviceAndNetwork(service: string, network: string): { SERVICE: string; NETWORK: string } {
  return { SERVICE: dockerName(service), NETWORK: dockerName(network) };
}

function downtimeOf(service: string, singleReplica: boolean): string {
  return singleReplica
    ? `service ${service} has one replica: short outage while its task is replaced (stop-first update)`
    : `none expected: tasks of ${service} are replaced one at a time (default update parallelism 1)`;
}

/** Every move targets an encrypted network, so every move is followed by the IPsec SA check. */
export function serviceNetworkAddStep(i: ServiceNetworkAddIntent, instanceId: string): StepBody {
  return {
    title: `attach ${i.service} to ${i.network}${i.attachment.aliases.length ? ` with aliases ${i.attachment.aliases.join(', ')}` : ''}`,
    why: `${i.service} must reach its peers on ${i.network} before it leaves its current network`,
    downtime: downtimeOf(i.service, i.singleReplica),
    precondition: {
      script: script('network-steps.service-network-add.check', serviceAndNetwork(i.service, i.network)),
      expect: `service ${i.service} and network ${i.network} exist`,
    },
    script: script('network-steps.service-attach', { ...serviceAndNetwork(i.service, i.network), ATTACHMENT: attachmentArg(i.network, i.attachment) }),
    inverse: { instanceId, script: script('network-steps.service-detach', serviceAndNetwork(i.service, i.network)) },
    verify: { kind: 'ipsec-sa', service: i.service, network: i.network },
  };
}

export interface ServiceNetworkRmIntent {
  service: string;
  network: string;
  /** The network the service already joined. */
  replacement: string;
  /** The original attachment, put back by the undo. */
  attachment: AttachmentCopy;
  singleReplica: boolean;
}

export const readServiceNetworkRm = obj<ServiceNetworkRmIntent>({
  service: dockerNameField,
  network: dockerNameField,
  replacement: dockerNameField,
  attachment: attachmentField,
  singleReplica: bool,
});

export function serviceNetworkRmStep(i: ServiceNetworkRmIntent, instanceId: string): StepBody {
  return {
    title: `detach ${i.service} from ${i.network}`,
    why: `${i.service} is on ${i.replacement} now; ${i.network} can only be removed once nothing uses it`,
    downtime: downtimeOf(i.service, i.singleReplica),
    precondition: {
      script: script('network-steps.service-attached.check', serviceAndNetwork(i.service, i.replacement)),
      expect: `${i.service} is attached to ${i.replacement} (never strand a service without its network)`,
    },
    script: script('network-steps.service-detach', serviceAndNetwork(i.service, i.network)),
    inverse: {
      instanceId,
      script: script('network-steps.service-attach', { ...serviceAndNetwork(i.service, i.network), ATTACHMENT: attachmentArg(i.network, i.attachment) }),
    },
  };
}

export interface NetworkRemoveIntent {
  /** The network as it is before removal: the undo recreates exactly this. */
  network: NetworkSpec;
  movedTo: string;
}

export const readNetworkRemove = obj<NetworkRemoveIntent>({ network: networkSpecField, movedTo: dockerNameField });

export function networkRemoveStep({ network: from, movedTo }: NetworkRemoveIntent, instanceId: string): StepBody {
  return {
    title: `remove ${from.encrypted ? 'intermediate' : 'unencrypted'} network ${from.name}`,
    why: `every service moved to ${movedTo}`,
    downtime: 'none',
    precondition: {
      script: script('network-steps.network-unused.check', { NETWORK: dockerName(from.name) }),
      expect: `no service is attached to ${from.name}`,
    },
    script: script('network-steps.network-rm', { NETWORK: dockerName(from.name) }),
    inverse: { instanceId, script: script('network-steps.network-create', networkParams(from)) },
  };
}
