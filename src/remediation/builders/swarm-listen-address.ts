/**
 * swarm-listen-address: rejoin each failing node with --listen-addr and
 * --advertise-addr set to its EC2 private IP (docs/docker.md, "Control plane listeners"). Workers: drain,
 * leave, join with a token fetched from a manager, wait for Ready, restore
 * availability. Managers: demote first and promote after, one at a time, only
 * while raft keeps quorum; a single-manager cluster gets the manual runbook.
 * Node IDs change on rejoin, so the manager-side scripts find the node by
 * hostname (checked unique first) and remove the stale, Down entry.
 */
import type { AuditedHost } from '../../checks/types.js';
import type { NodeFacts } from '../../probe/facts.js';
import { UsageError } from '../../errors.js';
import type { ClusterView } from '../cluster-view.js';
import { nodeOf } from '../cluster-view.js';
import type { Guidance, Step, StepBody, StepInput } from '../plan.js';
import { literal, obj, optional } from '../schema.js';
import { endpointField, hostnameField, instanceIdField, ipv4Field, nodeIdField } from './intent-fields.js';
import { dockerId, hostname, ipv4, ipv4Endpoint } from '../quote.js';
import type { BuilderContext, BuilderResult } from './context.js';
import { script } from './scripts.js';

export const CHECK_ID = 'swarm-listen-address';
const SWARM_PORT = 2377;
/** Join tokens: SWMTKN-1-<base36 root CA digest>-<base36 secret>. */
const JOIN_TOKEN_PATTERN = '^SWMTKN-1-[a-z0-9]{40,60}-[a-z0-9]{20,30}$';
/** Every node joins as a worker (a manager is promoted afterwards): the only token the plan ever fetches. */
const JOIN_ROLE = 'worker';
/** How long node-settle waits for the rejoined node to be Ready (and a manager reachable). */
const SETTLE_WAIT_SECONDS = 120;

interface Target {
  host: AuditedHost;
  node: NodeFacts;
  privateIp: string;
}

export function buildSwarmListenAddress(ctx: BuilderContext): BuilderResult {
  const out: BuilderResult = { steps: [], guidance: [] };
  const failing = new Set(
    ctx.findings
      .filter((f) => f.status === 'FAIL' || (f.status === 'WARN' && f.resource.type === 'listener' && !f.resource.id.startsWith('4789')))
      .map((f) => f.instanceId),
  );
  const targets: Target[] = [];
  for (const host of ctx.view.members.filter((m) => failing.has(m.instance.instanceId))) {
    const node = nodeOf(ctx.view, host);
    const message = refusal(ctx.view, host, node);
    if (message) {
      out.guidance.push(message);
      continue;
    }
    targets.push({ host, node: node!, privateIp: host.instance.privateIp! });
  }
  // Workers first, then managers; the leader last so leadership moves only once.
  const rank = (t: Target) => (t.node.role === 'worker' ? 0 : t.node.leader ? 2 : 1);
  targets.sort((a, b) => rank(a) - rank(b) || a.host.instance.instanceId.localeCompare(b.host.instance.instanceId));
  const rejoined = new Set<string>();
  for (const target of targets) {
    try {
      out.steps.push(...rejoinSteps(ctx, target, rejoined));
      rejoined.add(target.host.instance.instanceId);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      out.guidance.push(note(ctx.view, target.host, `cannot plan a safe rejoin: ${err.message}`));
    }
  }
  return out;
}

function note(view: ClusterView, host: AuditedHost, message: string, runbook?: string[]): Guidance {
  return { checkId: CHECK_ID, clusterId: view.clusterId, instanceId: host.instance.instanceId, message, runbook };
}

function refusal(view: ClusterView, host: AuditedHost, node: NodeFacts | undefined): Guidance | undefined {
  const ip = host.instance.privateIp;
  if (!ip) return note(view, host, 'the instance has no private IP in EC2: nothing to bind the swarm listeners to.');
  if (!node) return note(view, host, 'the node is not in the manager\'s node list; audit again.');
  if (node.role === 'manager' && view.managers.length < 2) {
    return note(view, host, 'single-manager cluster (or only one manager audited): a manager can only be rejoined while another manager keeps the cluster; refusing.', [
      `Manual runbook (downtime for the whole cluster; take a backup of /var/lib/docker/swarm first):`,
      `  docker swarm init --force-new-cluster --listen-addr ${ip}:${SWARM_PORT} --advertise-addr ${ip}`,
      `  then on each worker: docker swarm leave && docker swarm join --listen-addr <its IP>:${SWARM_PORT} --advertise-addr <its IP> --token <worker token> ${ip}:${SWARM_PORT}`,
      'Or add a second manager first (bound to its private IP), then re-run remediate.',
    ]);
  }
  if (node.state !== 'ready') return note(view, host, `node state is ${node.state}, not ready: refusing to touch it.`);
  return undefined;
}

/** The manager that drives this node's rejoin: the leader, or another manager when the node is the leader. */
function helperFor(view: ClusterView, target: Target): AuditedHost {
  const others = view.managers.filter((m) => m.instance.instanceId !== target.host.instance.instanceId);
  const helper = others.find((m) => m === view.manager) ?? others[0];
  if (!helper) throw new UsageError('no other audited manager to drive the rejoin', 'NoHelperManager');
  return helper;
}

function joinAddress(view: ClusterView, helper: AuditedHost, rejoined: Set<string>): string {
  if (rejoined.has(helper.instance.instanceId)) return ipv4Endpoint(`${helper.instance.privateIp}:${SWARM_PORT}`);
  const node = nodeOf(view, helper);
  const addr = node?.managerAddr ?? (node ? `${node.addr}:${SWARM_PORT}` : `${helper.instance.privateIp}:${SWARM_PORT}`);
  return ipv4Endpoint(addr, 'manager address');
}

/**
 * Waits for the node Ready, removes its stale entry, restores role and
 * availability, then rotates the join token: the rejoin script received it,
 * so SSM keeps it in the command's parameters (ListCommands) for as long as it
 * keeps the command; a new token makes that copy worthless.
 */
function settleScript(host: string, role: 'manager' | 'worker', availability: string): string {
  return script('swarm-listen-address.node-settle', {
    NODE_HOSTNAME: hostname(host),
    ROLE: role,
    AVAILABILITY: availability,
    WAIT_SECONDS: SETTLE_WAIT_SECONDS,
    JOIN_ROLE,
  });
}

interface JoinAddresses {
  listenAddr?: string;
  advertiseAddr: string;
  dataPathAddr?: string;
  joinAddr: string;
  /** The listen address the node's swarm state holds once joined as wanted. */
  joinedListenAddr: string;
}

function rejoinScript(a: JoinAddresses): string {
  return script('swarm-listen-address.node-rejoin', {
    LISTEN_ADDR: a.listenAddr,
    ADVERTISE_ADDR: a.advertiseAddr,
    DATA_PATH_ADDR: a.dataPathAddr,
    JOIN_ADDR: a.joinAddr,
    JOINED_AS: `"ListenAddr":"${a.joinedListenAddr}"`,
  });
}

function rejoinSteps(ctx: BuilderContext, target: Target, rejoined: Set<string>): Step[] {
  const { view } = ctx;
  const { host, node } = target;
  const ip = ipv4(target.privateIp, 'private IP');
  const helper = helperFor(view, target);
  const helperId = helper.instance.instanceId;
  const state = host.facts.swarm?.state;
  const who = { hostname: node.hostname, role: node.role, availability: node.availability };
  return [
    ctx.step('node-drain', { ...who, nodeId: node.id, privateIp: ip }, { instanceId: helperId, idKind: node.role === 'manager' ? 'node-demote-drain' : 'node-drain' }),
    ctx.step(
      'node-rejoin',
      {
        hostname: node.hostname,
        listenAddr: `${ip}:${SWARM_PORT}`,
        advertiseAddr: ip,
        dataPathAddr: state?.dataPathAddr,
        joinAddr: joinAddress(view, helper, rejoined),
        tokenFrom: helperId,
        before: { listenAddr: state?.listenAddr, advertiseAddr: state?.advertiseAddr?.replace(/:\d+$/, '') ?? node.addr },
      },
      { instanceId: host.instance.instanceId },
    ),
    ctx.step('node-settle', who, { instanceId: helperId }),
  ];
}

const roleField = literal('manager', 'worker');

/** The node as it is before the change: settle and the drain's undo restore its role and availability. */
export interface NodeSettleIntent {
  hostname: string;
  role: 'manager' | 'worker';
  availability: string;
}

export const readNodeSettle = obj<NodeSettleIntent>({ hostname: hostnameField, role: roleField, availability: literal('active', 'pause', 'drain') });

export interface NodeDrainIntent extends NodeSettleIntent {
  nodeId: string;
  privateIp: string;
}

export const readNodeDrain = obj<NodeDrainIntent>({
  hostname: hostnameField,
  role: roleField,
  availability: literal('active', 'pause', 'drain'),
  nodeId: nodeIdField,
  privateIp: ipv4Field,
});

function whyRejoin(name: string, ip: string): string {
  return `swarm listeners of ${name} are not bound to its private IP ${ip} (CIS 7.2): rejoin with --listen-addr ${ip}:${SWARM_PORT}`;
}

export function nodeDrainStep(i: NodeDrainIntent, instanceId: string): StepBody {
  const name = hostname(i.hostname, 'node hostname');
  const nodeId = dockerId(i.nodeId, 'node ID');
  const isManager = i.role === 'manager';
  const why = whyRejoin(name, ipv4(i.privateIp, 'private IP'));
  const node = { NODE_ID: nodeId, ROLE: i.role };
  return {
    title: isManager ? `demote and drain manager ${name}` : `drain worker ${name}`,
    why: isManager ? `${why}; a manager is demoted first so raft never counts a leaving member` : `${why}; its tasks move elsewhere first`,
    downtime: 'none for replicated services with other replicas; tasks on this node are rescheduled',
    precondition: {
      script: script('swarm-listen-address.node-drain.check', { NODE_HOSTNAME: name, ...node }),
      expect: isManager
        ? `${name} is Ready, has no node labels, its hostname is unique, and demoting it keeps raft quorum`
        : `${name} is Ready, has no node labels (a rejoin would lose them) and its hostname is unique`,
    },
    script: script('swarm-listen-address.node-drain', node),
    inverse: { instanceId, script: settleScript(name, i.role, i.availability), timeoutMs: 180_000 },
  };
}

export interface NodeRejoinIntent {
  hostname: string;
  listenAddr: string;
  advertiseAddr: string;
  dataPathAddr?: string;
  /** A manager's address to join through. */
  joinAddr: string;
  /** The manager the join token is fetched from at run time (never stored). */
  tokenFrom: string;
  /** The node's addresses before the change: the undo rejoins it with these. */
  before: { listenAddr?: string; advertiseAddr: string };
}

export const readNodeRejoin = obj<NodeRejoinIntent>({
  hostname: hostnameField,
  listenAddr: endpointField,
  advertiseAddr: ipv4Field,
  dataPathAddr: optional(ipv4Field),
  joinAddr: endpointField,
  tokenFrom: instanceIdField,
  before: obj<NodeRejoinIntent['before']>({ listenAddr: optional(endpointField), advertiseAddr: ipv4Field }),
});

export function nodeRejoinStep(i: NodeRejoinIntent, instanceId: string): StepBody {
  const name = hostname(i.hostname, 'node hostname');
  const listenAddr = ipv4Endpoint(i.listenAddr, 'listen address');
  const ip = ipv4(i.advertiseAddr, 'advertise address');
  const joinAddr = ipv4Endpoint(i.joinAddr, 'manager address');
  const dataPathAddr = i.dataPathAddr ? ipv4(i.dataPathAddr, 'data path address') : undefined;
  const origListen = i.before.listenAddr ? ipv4Endpoint(i.before.listenAddr, 'current listen address') : undefined;
  const origAdvertise = ipv4(i.before.advertiseAddr, 'current advertise address');
  const token: StepInput = {
    name: 'JOIN_TOKEN',
    instanceId: i.tokenFrom,
    script: script('swarm-listen-address.join-token', { JOIN_ROLE }),
    pattern: JOIN_TOKEN_PATTERN,
  };
  return {
    title: `rejoin ${name} with --listen-addr ${listenAddr} --advertise-addr ${ip}`,
    why: whyRejoin(name, ip),
    downtime: `${name} is out of the swarm for a few seconds (it is drained)`,
    precondition: { script: script('swarm-listen-address.node-rejoin.check'), expect: 'the docker daemon answers and the node is active in a swarm (or left it in an earlier run)' },
    script: rejoinScript({ listenAddr, advertiseAddr: ip, dataPathAddr, joinAddr, joinedListenAddr: listenAddr }),
    inputs: [token],
    timeoutMs: 120_000,
    inverse: {
      instanceId,
      script: rejoinScript({
        listenAddr: origListen,
        advertiseAddr: origAdvertise,
        dataPathAddr,
        joinAddr,
        joinedListenAddr: origListen ?? `0.0.0.0:${SWARM_PORT}`,
      }),
      inputs: [token],
      timeoutMs: 120_000,
    },
  };
}

export function nodeSettleStep(i: NodeSettleIntent, instanceId: string): StepBody {
  const name = hostname(i.hostname, 'node hostname');
  return {
    title: `wait for ${name} Ready, remove its stale entry, restore availability ${i.availability}${i.role === 'manager' ? ' and promote it' : ''}`,
    why: `the node comes back with its original role and availability; the ${JOIN_ROLE} join token it used is rotated, as SSM keeps a copy in the command history`,
    downtime: 'none',
    precondition: { script: script('swarm-listen-address.manager-answers.check'), expect: 'this manager answers' },
    script: settleScript(name, i.role, i.availability),
    timeoutMs: 180_000,
    // undone before the rejoin's inverse makes the node leave again
    inverse: { instanceId, script: script('swarm-listen-address.node-demote-drain', { NODE_HOSTNAME: name }) },
  };
}
