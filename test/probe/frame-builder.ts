/**
 * Test helper: wraps a payload in a probe frame exactly like probe.sh does, so
 * hostile or edited payloads can be fed to the decoder with a valid checksum.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { posixCksum } from '../../src/probe/cksum.js';
import { extractPayload } from '../../src/probe/frame.js';

export function frame(payload: string, enc: 'raw' | 'gz64' = 'raw', tag = 'SWARM-AUDIT-PROBE/1'): string {
  const bytes = Buffer.from(payload, 'utf8');
  const header = `${tag} enc=${enc} bytes=${bytes.length} cksum=${posixCksum(bytes)}\n`;
  const body = enc === 'raw' ? payload : `${gzipSync(bytes).toString('base64')}\n`;
  return `${header}${body}${tag} END\n`;
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/probe/${name}.stdout`, import.meta.url), 'utf8');
}

export function fixturePayload(name: string): string {
  return extractPayload(fixture(name));
}

export const FIXTURES = [
  'manager-bound',
  'manager-wildcard',
  'worker-wildcard',
  'worker-bound',
  'manager-single-cluster-b',
  'swarm-inactive',
  'swarm-locked',
  'docker-down',
  'docker-missing',
  'permission-denied',
  'many-services',
  'no-ss',
  'worker-busybox-ip',
  'worker-no-dockerd-log',
  'manager-single-busybox-ip',
] as const;
