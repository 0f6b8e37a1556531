/**
 * CIS Docker 7.2: the swarm control-plane listeners are bound to a specific
 * host interface. CIS means 2377/tcp (managers) and 7946/tcp+udp (every node),
 * not user services (docs/docker.md, "Control plane listeners").
 */
import type { Listener } from '../../probe/facts.js';
import { swarmRoleOf } from '../swarm-role.js';
import type { CheckResult, NodeCheck, NodeCheckContext } from '../types.js';
import { hostOfListenAddr, isWildcardAddress, normalizeAddress } from './address.js';

type Role = 'manager' | 'worker';

interface ExpectedSocket {
  protocol: 'tcp' | 'udp';
  port: number;
  purpose: string;
}

const MANAGEMENT: ExpectedSocket = { protocol: 'tcp', port: 2377, purpose: 'cluster management' };
const GOSSIP_TCP: ExpectedSocket = { protocol: 'tcp', port: 7946, purpose: 'node gossip' };
const GOSSIP_UDP: ExpectedSocket = { protocol: 'udp', port: 7946, purpose: 'node gossip' };
const VXLAN_PORT = 4789;

export const swarmListenAddress: NodeCheck = {
  meta: {
    id: 'swarm-listen-address',
    title: 'Swarm control-plane listeners are bound to a specific host interface',
    cis: '7.2',
    severity: 'high',
    scope: 'node',
    reads: ['swarm', 'listeners'],
    optionalReads: ['swarmState'],
    description:
      'Swarm management (2377/tcp, managers) and gossip (7946/tcp+udp, every node) must listen on the node private ' +
      'address, not on every interface. Default --listen-addr is 0.0.0.0:2377 and a node joined without --listen-addr ' +
      'binds 7946 on every interface.',
  },
  evaluateNode: evaluateListenAddress,
};

function evaluateListenAddress({ host }: NodeCheckContext): CheckResult[] {
  const { facts, instance } = host;
  const nodeResource = { type: 'node' as const, id: instance.instanceId, name: instance.name };
  const role = swarmRoleOf(facts);
  if (role === 'none') {
    const state = facts.swarm?.localNodeState;
    return state === 'inactive'
      ? [{ status: 'NOT_APPLICABLE', resource: nodeResource, message: 'swarm inactive on this node' }]
      : [{ status: 'ERROR', resource: nodeResource, message: `swarm state is ${state ?? 'unknown'}: listeners cannot be judged` }];
  }
  const expected = role === 'manager' ? [MANAGEMENT, GOSSIP_TCP, GOSSIP_UDP] : [GOSSIP_TCP, GOSSIP_UDP];
  const results = expected.flatMap((socket) => evaluateSocket(viewOf(host, role), socket));
  return [...results, ...vxlanInformation(facts.listeners)];
}

interface NodeView {
  role: Role;
  listeners: Listener[];
  privateIp?: string;
  stateListenAddr?: string;
}

function viewOf(host: NodeCheckContext['host'], role: Role): NodeView {
  return {
    role,
    listeners: host.facts.listeners,
    privateIp: host.instance.privateIp,
    stateListenAddr: host.facts.swarm?.state?.listenAddr,
  };
}

function evaluateSocket(view: NodeView, socket: ExpectedSocket): CheckResult[] {
  const socketId = `${socket.port}/${socket.protocol}`;
  const bound = distinctByAddress(view.listeners.filter((l) => l.protocol === socket.protocol && l.port === socket.port));
  if (bound.length === 0) {
    return [
      {
        status: 'ERROR',
        resource: { type: 'listener', id: socketId },
        message:
          `no ${socketId} listener found on this ${view.role} (${socket.purpose}); cannot decide` +
          stateSuffix(view.stateListenAddr),
        evidence: { role: view.role, listenAddr: view.stateListenAddr },
      },
    ];
  }
  const unique = bound.length === 1;
  return bound.map((listener) => evaluateListener(view, socket, listener, unique ? socketId : `${socketId}@${listener.address}`));
}

/** One socket per address: SO_REUSEPORT or a repeated ss line must not yield two results for one resource. */
function distinctByAddress(listeners: Listener[]): Listener[] {
  const seen = new Set<string>();
  return listeners.filter((listener) => {
    const key = normalizeAddress(listener.address);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function evaluateListener(view: NodeView, socket: ExpectedSocket, listener: Listener, id: string): CheckResult {
  const socketId = `${socket.port}/${socket.protocol}`;
  const address = normalizeAddress(listener.address);
  const resource = { type: 'listener' as const, id, name: `${listener.address}:${socketId}` };
  const evidence = {
    role: view.role,
    address: listener.address,
    protocol: listener.protocol,
    port: listener.port,
    privateIp: view.privateIp,
    listenAddr: view.stateListenAddr,
  };
  if (listener.wildcard || isWildcardAddress(listener.address)) {
    return { status: 'FAIL', resource, evidence, message: wildcardMessage(view, socket, listener.address) };
  }
  if (view.privateIp && address !== normalizeAddress(view.privateIp)) {
    return {
      status: 'WARN',
      resource,
      evidence,
      message:
        `${socketId} (${socket.purpose}) is bound to ${address}, which is not this instance's private IP ` +
        `${view.privateIp} (EC2): check that it is the intended interface`,
    };
  }
  const ipNote = view.privateIp ? ' (the instance private IP)' : ' (instance private IP unknown, not compared)';
  return { status: 'PASS', resource, evidence, message: `${socketId} (${socket.purpose}) is bound to ${address}${ipNote}` };
}

function wildcardMessage(view: NodeView, socket: ExpectedSocket, address: string): string {
  const socketId = `${socket.port}/${socket.protocol}`;
  const why =
    view.role === 'manager'
      ? 'the default --listen-addr is 0.0.0.0:2377, so swarm init/join without --listen-addr binds every interface'
      : 'a worker joined without --listen-addr binds the gossip port 7946 on every interface (*)';
  const target = view.privateIp ?? '<private IP>';
  return (
    `${socketId} (${socket.purpose}) listens on ${address || '*'}, every interface: ${why}` +
    stateSuffix(view.stateListenAddr) +
    `. Fix: rejoin the node with --listen-addr ${target} --advertise-addr ${target}`
  );
}

function stateSuffix(listenAddr: string | undefined): string {
  if (!listenAddr) return '';
  const host = hostOfListenAddr(listenAddr);
  const kind = isWildcardAddress(host) ? 'a wildcard' : 'a specific address';
  return ` (docker-state.json ListenAddr is "${listenAddr}", ${kind})`;
}

/** 4789/udp always binds every interface, even with --data-path-addr (moby #47389): information only. */
function vxlanInformation(listeners: Listener[]): CheckResult[] {
  const vxlan = distinctByAddress(listeners.filter((l) => l.protocol === 'udp' && l.port === VXLAN_PORT));
  const socketId = `${VXLAN_PORT}/udp`;
  if (vxlan.length === 0) {
    return [
      {
        status: 'NOT_APPLICABLE',
        severity: 'info',
        resource: { type: 'listener', id: socketId },
        message:
          'no 4789/udp (VXLAN data path) listener: information only, not part of this control. When present it binds ' +
          'every interface even with --data-path-addr (moby #47389)',
      },
    ];
  }
  return vxlan.map((listener) => ({
    status: 'PASS' as const,
    severity: 'info' as const,
    resource: {
      type: 'listener' as const,
      id: vxlan.length === 1 ? socketId : `${socketId}@${listener.address}`,
      name: `${listener.address}:${socketId}`,
    },
    message:
      `4789/udp (VXLAN data path) listens on ${listener.address}: Docker always binds it on every interface, even with ` +
      '--data-path-addr (moby #47389). Information only, not a failure of this control; allow it only between swarm ' +
      'nodes (security groups)',
    evidence: { address: listener.address, wildcard: listener.wildcard },
  }));
}
