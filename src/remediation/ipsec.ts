/**
 * Encryption that blackholes traffic is worse than none (docs/docker.md "The flag
 * can lie"). Before services move onto an encrypted network the nodes'
 * evidence must show IPsec working; after each move every pair of nodes
 * running the service's tasks must hold ESP SAs both ways.
 *
 * Docker 20.10 keys IPsec per node pair, not per network: one xfrm policy per
 * peer (udp dport 4789, mark 0xd0c4e3, tmpl proto esp) and one SA per
 * direction. So "SAs for the new network" is checked as: both SAs and the
 * policy exist for every pair of nodes that run the service's tasks.
 */
import type { AuditedHost } from '../checks/types.js';
import type { FleetInstance } from '../fleet/instance.js';
import type { ClusterView } from './cluster-view.js';
import { nodeOf } from './cluster-view.js';
import { dockerName, shQuote } from './quote.js';
import { describeFailure, succeeded, type RemoteShell } from './remote-shell.js';

export interface IpsecVerdict {
  ok: boolean;
  reasons: string[];
}

/** Ingress rules per security group id; protocol as EC2 says it: "50" (ESP), "-1" (all), "tcp"... */
export type SecurityGroupRules = Map<string, { protocol: string }[]>;

function label(host: AuditedHost): string {
  return host.instance.name ? `${host.instance.instanceId} (${host.instance.name})` : host.instance.instanceId;
}

/** Evidence, from audited facts (and security groups when known), that IPsec does not work in a cluster. */
export function ipsecPrecheck(view: ClusterView, securityGroups?: SecurityGroupRules): IpsecVerdict {
  const reasons: string[] = [];
  for (const host of view.members) {
    const ipsec = host.facts.ipsec;
    if (ipsec?.saFailures.length) {
      reasons.push(`${label(host)}: dockerd failed to install IPsec SAs (${ipsec.saFailures[0].slice(0, 160)})`);
    } else if (ipsec && ipsec.espPolicies > 0 && ipsec.espStates === 0) {
      reasons.push(`${label(host)}: ${ipsec.espPolicies} xfrm ESP policies but no SAs: encrypted traffic is dropped`);
    }
    if (securityGroups && !allowsEsp(host.instance, securityGroups)) {
      reasons.push(`${label(host)}: its security groups allow no ESP (IP protocol 50); encrypted overlay traffic would be dropped`);
    }
  }
  return { ok: reasons.length === 0, reasons };
}

function allowsEsp(instance: FleetInstance, rules: SecurityGroupRules): boolean {
  return instance.securityGroups.some((g) => (rules.get(g.groupId) ?? []).some((r) => r.protocol === '50' || r.protocol === '-1' || r.protocol === 'esp'));
}

interface XfrmState {
  src: string;
  dst: string;
}

/** `ip xfrm state` and `ip xfrm policy` text -> ESP SAs (src,dst) and ESP VXLAN policy destinations. */
function parseXfrm(text: string): { states: XfrmState[]; policyPeers: string[] } {
  const [stateText = '', policyText = ''] = text.split(/^---xfrm-policy---$/m);
  const blocks = (t: string) =>
    t.split('\n').reduce<string[][]>((acc, line) => {
      if (/^\S/.test(line)) acc.push([line]);
      else if (acc.length > 0 && line.trim()) acc[acc.length - 1].push(line.trim());
      return acc;
    }, []);
  const states = blocks(stateText)
    .filter((b) => b.some((l) => /\bproto esp\b/.test(l)))
    .flatMap((b) => {
      const m = /^src (\S+) dst (\S+)/.exec(b[0]);
      return m ? [{ src: m[1], dst: m[2] }] : [];
    });
  const policyPeers = blocks(policyText)
    .filter((b) => /dport 4789/.test(b[0]) && b.some((l) => /\bproto esp\b/.test(l)))
    .flatMap((b) => {
      const m = /\bdst (\d+\.\d+\.\d+\.\d+)/.exec(b[0]);
      return m ? [m[1]] : [];
    });
  return { states, policyPeers };
}

const XFRM_SCRIPT = 'set -eu\nip xfrm state\necho ---xfrm-policy---\nip xfrm policy';

export interface SaCheckDeps {
  shell: RemoteShell;
  sleep: (ms: number) => Promise<void>;
}

/**
 * After `service` joined `network`: every pair of nodes running its tasks
 * holds ESP SAs both ways and a policy to each other. Polls a little: SAs are
 * negotiated when the first task lands on a node.
 */
export async function verifyServiceSas(
  deps: SaCheckDeps,
  view: ClusterView,
  service: string,
  network: string,
  opts: { attempts?: number; intervalMs?: number } = {},
): Promise<IpsecVerdict> {
  const manager = view.manager.instance.instanceId;
  const ps = await deps.shell.run(
    manager,
    `set -eu\ndocker service ps ${shQuote(dockerName(service))} --filter desired-state=running --format '{{.Node}}' | sort -u\ndocker network inspect ${shQuote(dockerName(network))} >/dev/null`,
  );
  if (!succeeded(ps)) return { ok: false, reasons: [`cannot list tasks of ${service}: ${describeFailure(ps)}`] };
  const hostnames = ps.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const nodes = hostnames.map((h) => {
    const node = view.manager.facts.nodes?.find((n) => n.hostname === h);
    const host = view.members.find((m) => nodeOf(view, m)?.hostname === h);
    return { hostname: h, addr: node?.addr, host };
  });
  const unknown = nodes.filter((n) => !n.addr || !n.host);
  if (unknown.length) return { ok: false, reasons: unknown.map((n) => `task node ${n.hostname} is not an audited member: cannot check its SAs`) };
  if (nodes.length < 2) return { ok: true, reasons: [`tasks of ${service} run on ${nodes.length} node(s): no node pair to check`] };

  let reasons: string[] = [];
  const attempts = opts.attempts ?? 10;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    reasons = [];
    for (const node of nodes) {
      const out = await deps.shell.run(node.host!.instance.instanceId, XFRM_SCRIPT);
      if (!succeeded(out)) {
        reasons.push(`${node.hostname}: cannot read xfrm state: ${describeFailure(out)}`);
        continue;
      }
      const { states, policyPeers } = parseXfrm(out.stdout);
      for (const peer of nodes.filter((p) => p !== node)) {
        const outbound = states.some((s) => s.src === node.addr && s.dst === peer.addr);
        const inbound = states.some((s) => s.src === peer.addr && s.dst === node.addr);
        const policy = policyPeers.includes(peer.addr!);
        if (!outbound || !inbound || !policy) {
          reasons.push(
            `${node.hostname} -> ${peer.hostname}: ${[!outbound && 'no outbound SA', !inbound && 'no inbound SA', !policy && 'no ESP policy'].filter(Boolean).join(', ')}`,
          );
        }
      }
    }
    if (reasons.length === 0) return { ok: true, reasons: [] };
    if (attempt < attempts) await deps.sleep(opts.intervalMs ?? 2_000);
  }
  return { ok: false, reasons };
}
