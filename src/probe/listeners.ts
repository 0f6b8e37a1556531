/**
 * Swarm listeners (2377/tcp, 7946/tcp+udp, 4789/udp) from the probe's
 * key=value lines: `ss -ltnu` ones ("netid=tcp local=10.0.0.5:2377") or
 * /proc/net ones ("file=tcp6 local=00000000000000000000000000000000:1F0A st=0A").
 */
import { isIP } from 'node:net';
import { malformed } from './decode-error.js';
import type { Listener } from './facts.js';
import { readKeyValueRecord, textValue, wordValue } from './key-value-record.js';
import { recordSchema, required } from './record-schema.js';

const SWARM_PORTS = new Set([2377, 7946, 4789]);
const WILDCARDS = new Set(['0.0.0.0', '::', '*', '::ffff:0.0.0.0']);
const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

function listener(protocol: 'tcp' | 'udp', address: string, port: number): Listener {
  return { protocol, address, port, wildcard: WILDCARDS.has(address) };
}

function checkedPort(text: string, radix: 10 | 16, where: string): number {
  const port = parseInt(text, radix);
  if (!/^[0-9A-Fa-f]+$/.test(text) || !SWARM_PORTS.has(port)) throw malformed(`${where}: unexpected port ${text}`);
  return port;
}

/** One socket of `ss -ltnu`: its Netid and Local Address:Port columns. */
export const SS_RECORD = recordSchema('listeners-ss', {
  netid: required(wordValue(['tcp', 'udp'] as const)),
  local: required(textValue),
});

/** One socket of /proc/net/{tcp,tcp6,udp,udp6}: the file, local_address and st columns. */
export const PROC_RECORD = recordSchema('listeners-proc', {
  file: required(wordValue(['tcp', 'tcp6', 'udp', 'udp6'] as const)),
  local: required(textValue),
  st: required(textValue),
});

/** local= "10.0.0.5:2377", "[::]:7946", "*:7946", "10.0.0.5%eth0:4789". */
export function parseSsLine(line: string): Listener {
  const where = `listeners-ss line ${JSON.stringify(line.slice(0, 80))}`;
  const { netid, local } = readKeyValueRecord(SS_RECORD, line, where);
  const colon = local.lastIndexOf(':');
  const port = checkedPort(local.slice(colon + 1), 10, where);
  let address = local.slice(0, colon).replace(/%[^\]]*/, '');
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  if (address !== '*' && isIP(address) === 0) throw malformed(`${where}: bad address`);
  return listener(netid, address, port);
}

function ipv4FromProcHex(hex: string): string {
  const bytes = [0, 2, 4, 6].map((offset) => parseInt(hex.slice(offset, offset + 2), 16));
  return bytes.reverse().join('.');
}

/** RFC 5952 text of 16 bytes (longest zero run compressed, v4-mapped kept dotted). */
function ipv6Text(bytes: number[]): string {
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (bytes[2 * i] << 8) | bytes[2 * i + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** /proc/net/tcp6 prints the address as four 32-bit words, each in host (little-endian) order. */
function ipv6FromProcHex(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word++) {
    const wordBytes = [0, 2, 4, 6].map((o) => parseInt(hex.slice(word * 8 + o, word * 8 + o + 2), 16));
    bytes.push(...wordBytes.reverse());
  }
  return ipv6Text(bytes);
}

/** local= "0B4D4D0A:0959" (hex address:port), st= "0A"; returns undefined for sockets that are not listening. */
export function parseProcLine(line: string): Listener | undefined {
  const where = `listeners-proc line ${JSON.stringify(line.slice(0, 80))}`;
  const { file, local, st } = readKeyValueRecord(PROC_RECORD, line, where);
  const match = /^([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4})$/.exec(local);
  if (!match || !/^[0-9A-F]{2}$/.test(st)) throw malformed(where);
  const [, hexAddress, hexPort] = match as unknown as [string, string, string];
  const protocol = file.startsWith('tcp') ? 'tcp' : 'udp';
  const v6 = file.endsWith('6');
  if (v6 !== (hexAddress.length === 32)) throw malformed(`${where}: address length`);
  if (st !== (protocol === 'tcp' ? TCP_LISTEN : UDP_UNCONNECTED)) return undefined;
  const address = v6 ? ipv6FromProcHex(hexAddress) : ipv4FromProcHex(hexAddress);
  return listener(protocol, address, checkedPort(hexPort, 16, where));
}
