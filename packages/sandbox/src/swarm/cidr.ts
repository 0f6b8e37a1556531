/** IPv4 CIDR arithmetic for the sandbox's private subnets (no dependency needed for /16../30 maths). */
export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  network: number;
  prefixLength: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o, i) => o > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return undefined;
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

/** Parses "a.b.c.d/n"; undefined when malformed or when host bits are set (ambiguous intent). */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  if (prefixLength > 32) return undefined;
  if ((address & ~maskOf(prefixLength)) >>> 0 !== 0) return undefined;
  return { network: address, prefixLength };
}

function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (~0 << (32 - prefixLength)) >>> 0;
}

export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefixLength);
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const shorter = Math.min(a.prefixLength, b.prefixLength);
  const mask = maskOf(shorter);
  return (a.network & mask) >>> 0 === (b.network & mask) >>> 0;
}

/** The nth address of the block (0 = network address). */
export function hostAddress(cidr: Ipv4Cidr, n: number): string {
  return formatIpv4((cidr.network + n) >>> 0);
}

const PRIVATE_BLOCKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

/** RFC 1918: the sandbox never takes addresses that could be routed elsewhere. */
export function isPrivateCidr(cidr: Ipv4Cidr): boolean {
  return PRIVATE_BLOCKS.some((block) => block.prefixLength <= cidr.prefixLength && cidrsOverlap(block, cidr));
}
