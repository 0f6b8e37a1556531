/**
 * Picks a subnet for a new overlay network that overlaps no network of the
 * cluster and contains no node address (an overlay overlapping the underlay
 * breaks routing to that node).
 */
import { UsageError } from '../errors.js';

interface Block {
  base: number;
  size: number;
}

function parseCidr(value: string): Block {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(value);
  if (!m) throw new UsageError(`${JSON.stringify(value)} is not an IPv4 CIDR`, 'UnsafeValue');
  const prefix = Number(m[5]);
  const octets = m.slice(1, 5).map(Number);
  if (prefix > 32 || octets.some((o) => o > 255)) throw new UsageError(`${JSON.stringify(value)} is not an IPv4 CIDR`, 'UnsafeValue');
  const size = 2 ** (32 - prefix);
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base: ip - (ip % size), size };
}

function ipToNumber(ip: string): number {
  return parseCidr(`${ip}/32`).base;
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function overlaps(a: Block, b: Block): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/**
 * The first block of the original's size after it (wrapping inside 10.0.0.0/8,
 * Docker's default pool) that is free. Deterministic, so plans are reproducible.
 */
export function chooseFreeSubnet(original: string | undefined, taken: readonly string[], nodeIps: readonly string[]): string {
  const start = parseCidr(original ?? '10.0.0.0/24');
  const busy = [...taken.map(parseCidr), ...nodeIps.map((ip) => ({ base: ipToNumber(ip), size: 1 }))];
  const pool = parseCidr('10.0.0.0/8');
  const inPool = start.base >= pool.base && start.base < pool.base + pool.size;
  const origin = inPool ? start.base : pool.base;
  const count = pool.size / start.size;
  for (let i = inPool ? 1 : 0; i <= count; i += 1) {
    const base = pool.base + ((origin - pool.base + i * start.size) % pool.size);
    const candidate = { base, size: start.size };
    if (!busy.some((b) => overlaps(b, candidate))) return `${numberToIp(base)}/${32 - Math.log2(start.size)}`;
  }
  throw new UsageError(`no free subnet of the size of ${original} in 10.0.0.0/8`, 'NoFreeSubnet');
}

/** The conventional gateway, first usable address. */
export function firstHost(subnet: string): string {
  const block = parseCidr(subnet);
  return numberToIp(block.base + 1);
}
