/**
 * The drift check: a canonical hash of the audited state a plan depends on.
 * It covers what the steps read or change (overlay networks, service network
 * attachments and ports, nodes' roles, availability and addresses, each
 * member's listen address and private IP) and leaves out what moves on its own
 * (timestamps, IPsec counters, raft leadership, engine versions).
 */
import { createHash } from 'node:crypto';
import type { AuditedHost } from '../checks/types.js';
import { clusterViews } from './cluster-view.js';

/** JSON with object keys sorted at every level, so equal states hash equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The part of the audited state that plans depend on, in a stable order. */
export function stateSnapshot(hosts: readonly AuditedHost[]): unknown {
  return clusterViews(hosts).map((view) => {
    const f = view.manager.facts;
    return {
      clusterId: view.clusterId,
      networks: (f.networks ?? [])
        .map((n) => ({ ...n, options: n.options, ipam: { ...n.ipam, config: [...n.ipam.config].sort(byKey((c) => c.subnet ?? '')) } }))
        .sort(byKey((n) => n.id)),
      services: (f.services ?? [])
        .map((s) => ({
          id: s.id,
          name: s.name,
          ports: [...s.ports].sort(byKey((p) => `${p.protocol}/${p.targetPort}/${p.publishedPort ?? ''}/${p.publishMode}`)),
          networks: [...s.networks].sort(byKey((a) => a.target)).map((a) => ({ ...a, aliases: [...a.aliases].sort() })),
        }))
        .sort(byKey((s) => s.id)),
      nodes: (f.nodes ?? [])
        .map((n) => ({ id: n.id, hostname: n.hostname, role: n.role, availability: n.availability, state: n.state, addr: n.addr }))
        .sort(byKey((n) => n.id)),
      members: view.members.map((h) => ({
        instanceId: h.instance.instanceId,
        privateIp: h.instance.privateIp,
        nodeId: h.facts.swarm?.nodeId,
        listenAddr: h.facts.swarm?.state?.listenAddr,
        advertiseAddr: h.facts.swarm?.state?.advertiseAddr,
        listeners: h.facts.listeners.map((l) => `${l.protocol} ${l.address}:${l.port}`).sort(),
      })),
    };
  });
}

export function stateHash(hosts: readonly AuditedHost[]): string {
  return `sha256:${createHash('sha256').update(canonicalJson(stateSnapshot(hosts))).digest('hex')}`;
}
