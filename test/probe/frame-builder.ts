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
  'manager-typical',
  'no-ss',
  'worker-busybox-ip',
  'worker-no-dockerd-log',
  'manager-single-busybox-ip',
] as const;

/** The payload with one section's content lines replaced, and its count line set to the new number of lines. */
export function editSection(payload: string, section: string, edit: (lines: string[]) => string[]): string {
  const lines = payload.slice(0, -1).split('\n');
  const start = lines.indexOf(`@@ ${section} rc=0`);
  const countAt = lines.findIndex((line, i) => i > start && /^@@ \S+ count=\d+$/.test(line));
  if (start === -1 || !lines[countAt].startsWith(`@@ ${section} count=`)) throw new Error(`no section ${section} read successfully`);
  const edited = edit(lines.slice(start + 1, countAt));
  return `${[...lines.slice(0, start + 1), ...edited, `@@ ${section} count=${edited.length}`, ...lines.slice(countAt + 1)].join('\n')}\n`;
}

/** The names of the sections the probe read successfully (rc=0), in record order. */
export function readSections(payload: string): string[] {
  return [...payload.matchAll(/^@@ ([a-z][a-z0-9-]*) rc=0$/gm)].map((match) => match[1]);
}

/** Re-frames an edited payload with the encoding the fixture used. */
export function reframeLike(name: string, payload: string): string {
  return frame(payload, / enc=gz64 /.test(fixture(name).split('\n')[0]) ? 'gz64' : 'raw');
}
