/**
 * The overlay-network migration steps, intent -> step: create the encrypted
 * network, move each service across (keeping its aliases and driver options),
 * then remove the old network. Each intent carries the pre-change facts its
 * undo needs (the removed network's spec, the service's original attachment).
 */
import { dockerName, shQuote } from '../quote.js';
import { arr, bool, obj, type Reader } from '../schema.js';
import { dockerNameField, networkSpecField, optionMapField } from './intent-fields.js';
import type { StepBody } from '../plan.js';
import {
  type NetworkSpec,
  lines,
  networkAttachmentArg,
  networkCreateCommand,
  networkEncrypted,
  networkExists,
  retry,
  SERVICE_NETWORK_TARGETS,
  serviceAttached,
  serviceUpdate,
} from './scripts.js';

const q = shQuote;

/** What goes with a service to every network it moves to. */
export interface AttachmentCopy {
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
      script: lines(`if ${networkExists(to.name)}; then ${networkEncrypted(to.name)}; fi`),
      expect: `${to.name} does not exist yet (or exists encrypted from an earlier run)`,
    },
    script: lines(`if ${networkExists(to.name)}; then echo ${q(`${to.name} exists already`)}; exit 0; fi`, retry(networkCreateCommand({ ...to, encrypted: true }))),
    inverse: { instanceId, script: lines(`if ${networkExists(to.name)}; then`, retry(`docker network rm ${q(dockerName(to.name))} >/dev/null`), 'fi') },
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

export function downtimeOf(service: string, singleReplica: boolean): string {
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
      script: lines(`docker service inspect ${q(dockerName(i.service))} >/dev/null`, networkExists(i.network)),
      expect: `service ${i.service} and network ${i.network} exist`,
    },
    script: lines(
      `if ${serviceAttached(i.service, i.network)}; then echo already attached; exit 0; fi`,
      serviceUpdate(i.service, [`--network-add ${networkAttachmentArg(i.network, i.attachment)}`]),
    ),
    inverse: {
      instanceId,
      script: lines(`if ${serviceAttached(i.service, i.network)}; then`, serviceUpdate(i.service, [`--network-rm ${q(dockerName(i.network))}`]), 'fi'),
    },
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
      script: lines(serviceAttached(i.service, i.replacement)),
      expect: `${i.service} is attached to ${i.replacement} (never strand a service without its network)`,
    },
    script: lines(`if ${serviceAttached(i.service, i.network)}; then`, serviceUpdate(i.service, [`--network-rm ${q(dockerName(i.network))}`]), 'fi'),
    inverse: {
      instanceId,
      script: lines(
        `if ! ${serviceAttached(i.service, i.network)}; then`,
        serviceUpdate(i.service, [`--network-add ${networkAttachmentArg(i.network, i.attachment)}`]),
        'fi',
      ),
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
      script: lines(
        `if ${networkExists(from.name)}; then`,
        'oid=$object',
        SERVICE_NETWORK_TARGETS,
        `printf '%s' "$targets" | tr ' ' '\\n' | grep -qx "$oid" && exit 1`,
        'fi',
        'exit 0',
      ),
      expect: `no service is attached to ${from.name}`,
    },
    script: lines(`if ${networkExists(from.name)}; then`, retry(`docker network rm ${q(dockerName(from.name))} >/dev/null`), 'fi'),
    inverse: { instanceId, script: lines(`if ! ${networkExists(from.name)}; then`, retry(networkCreateCommand(from)), 'fi') },
  };
}
