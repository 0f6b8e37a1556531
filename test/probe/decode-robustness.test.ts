/** Cut, corrupted, noisy and hostile inputs: the decoder never throws and never returns partial facts. */
import { gzipSync } from 'node:zlib';
import { decodeProbeOutput, type DecodeResult } from '../../src/probe/decode.js';
import { FIXTURES, fixture, fixturePayload, frame } from './frame-builder.js';

const compressed = fixture('manager-bound'); // enc=gz64
const raw = fixture('swarm-locked'); // enc=raw
const factsOf = (result: DecodeResult) => (result.ok ? result.facts : undefined);

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('framing', () => {
  test('the fixtures use both encodings', () => {
    expect(compressed.split('\n')[0]).toMatch(/ enc=gz64 /);
    expect(raw.split('\n')[0]).toMatch(/ enc=raw /);
  });

  test.each([
    ['compressed', compressed],
    ['raw', raw],
  ])('every cut of the %s record before its END line is rejected', (_, text) => {
    const complete = text.lastIndexOf(' END') + ' END'.length;
    for (let cut = 0; cut < complete; cut++) {
      const result = decodeProbeOutput(text.slice(0, cut));
      if (result.ok) throw new Error(`cut at ${cut} decoded as ok`);
      const marked = decodeProbeOutput(`${text.slice(0, cut)}\n---Output truncated---`);
      expect(marked.ok).toBe(false);
    }
    expect(decodeProbeOutput(text.slice(0, complete)).ok).toBe(true);
  });

  test('a cut inside the body is reported as truncated, naming SSM when it marked the cut', () => {
    const cut = compressed.slice(0, 900);
    expect(decodeProbeOutput(cut)).toMatchObject({ ok: false, reason: 'truncated' });
    const list = decodeProbeOutput(`${cut}\n---Output truncated---`);
    expect(list).toMatchObject({ ok: false, reason: 'truncated' });
    expect(list.ok || list.message).toMatch(/SSM truncated/);
    expect(decodeProbeOutput(`${raw.slice(0, 300)}--output truncated--`)).toMatchObject({ ok: false, reason: 'truncated' });
  });

  test.each([
    ['compressed', compressed, 1],
    ['raw', raw, 2],
  ])('flipped bits in the %s record never give different facts', (_, text, seed) => {
    const expected = factsOf(decodeProbeOutput(text));
    const next = random(seed);
    const bytes = Buffer.from(text, 'latin1');
    for (let i = 0; i < 3000; i++) {
      const flipped = Buffer.from(bytes);
      const at = Math.floor(next() * bytes.length);
      flipped[at] = flipped[at] ^ (1 << Math.floor(next() * 8));
      const result = decodeProbeOutput(flipped.toString('latin1'));
      // Base64 leaves a few unused low bits in its last character: flipping those is harmless.
      if (result.ok) expect(result.facts).toEqual(expected);
    }
  });

  test('a changed payload byte is caught by the checksum', () => {
    const payload = fixturePayload('swarm-locked');
    const framed = frame(payload);
    const tampered = framed.replace('"locked"', '"active"');
    expect(decodeProbeOutput(tampered)).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  test('a byte count that does not match is caught', () => {
    expect(decodeProbeOutput(raw.replace(/bytes=(\d+)/, (_, n) => `bytes=${Number(n) + 1}`))).toMatchObject({ reason: 'truncated' });
    expect(decodeProbeOutput(raw.replace(/bytes=(\d+)/, (_, n) => `bytes=${Number(n) - 1}`))).toMatchObject({ reason: 'corrupt' });
  });

  test('noise before and after the frame is ignored', () => {
    const expected = factsOf(decodeProbeOutput(compressed));
    const noisy = `Welcome to Ubuntu 22.04 LTS\n\n * Documentation: https://help.ubuntu.com\n${compressed}agent: done\n`;
    expect(factsOf(decodeProbeOutput(noisy))).toEqual(expected);
  });

  test('two frames are an error', () => {
    expect(decodeProbeOutput(`${raw}${raw}`)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(decodeProbeOutput(`${raw}${compressed}`)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  test("ListCommandInvocations' stdout/stderr join: stderr is never read as the record", () => {
    const expected = factsOf(decodeProbeOutput(raw));
    const joined = `${raw}\n----------ERROR-------\nsome warning\n${compressed}`;
    expect(factsOf(decodeProbeOutput(joined))).toEqual(expected);
    expect(decodeProbeOutput(`\n----------ERROR-------\n${raw}`)).toMatchObject({ ok: false, reason: 'no-frame' });
    const cutThenJoined = `${compressed.slice(0, 700)}\n----------ERROR-------\nerr\n---Output truncated---`;
    expect(decodeProbeOutput(cutThenJoined)).toMatchObject({ ok: false, reason: 'truncated' });
  });

  test('CRLF line endings decode to the same facts', () => {
    for (const text of [raw, compressed]) {
      expect(factsOf(decodeProbeOutput(text.replace(/\n/g, '\r\n')))).toEqual(factsOf(decodeProbeOutput(text)));
    }
  });

  test('a wrapped base64 body (base64 without -w 0) decodes too', () => {
    const [header, body, end] = compressed.split('\n');
    const wrapped = `${header}\n${body.match(/.{1,76}/g)!.join('\n')}\n${end}\n`;
    expect(factsOf(decodeProbeOutput(wrapped))).toEqual(factsOf(decodeProbeOutput(compressed)));
  });

  test('another record version is refused', () => {
    const v2 = frame(fixturePayload('swarm-locked'), 'raw', 'SWARM-AUDIT-PROBE/2');
    expect(decodeProbeOutput(v2)).toMatchObject({ ok: false, reason: 'version' });
  });

  test('no frame at all', () => {
    for (const text of ['', '\n', 'sh: 1: syntax error', 'SWARM-AUDIT-PROBE/1 END\n']) {
      expect(decodeProbeOutput(text)).toMatchObject({ ok: false, reason: 'no-frame' });
    }
    expect(decodeProbeOutput(undefined as unknown as string)).toMatchObject({ ok: false, reason: 'no-frame' });
  });

  test('bad headers and bodies', () => {
    const payload = fixturePayload('swarm-locked');
    expect(decodeProbeOutput(frame(payload).replace('enc=raw', 'enc=zip'))).toMatchObject({ reason: 'malformed' });
    expect(decodeProbeOutput(frame(payload).replace(/cksum=\d+/, 'cksum=99999999999'))).toMatchObject({ reason: 'malformed' });
    const gz = frame(payload, 'gz64');
    expect(decodeProbeOutput(gz.replace(/\n([A-Za-z0-9+/]{8})/, '\n$1!'))).toMatchObject({ reason: 'corrupt' });
    const notGzip = `SWARM-AUDIT-PROBE/1 enc=gz64 bytes=4 cksum=1\n${Buffer.from('abcd').toString('base64')}\nSWARM-AUDIT-PROBE/1 END\n`;
    expect(decodeProbeOutput(notGzip)).toMatchObject({ reason: 'corrupt' });
  });

  test('a gzip bomb is refused without inflating it', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64');
    const text = `SWARM-AUDIT-PROBE/1 enc=gz64 bytes=67108864 cksum=1\n${bomb}\nSWARM-AUDIT-PROBE/1 END\n`;
    expect(decodeProbeOutput(text)).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  test('random garbage around frame parts never throws', () => {
    const next = random(7);
    const parts = [raw, compressed, 'SWARM-AUDIT-PROBE/1 END\n', 'SWARM-AUDIT-PROBE/1 enc=raw bytes=3 cksum=1\n', '@@ meta rc=0\n', '\r\n', '----------ERROR-------\n', 'x'];
    for (let i = 0; i < 2000; i++) {
      let text = '';
      for (let j = Math.floor(next() * 5); j >= 0; j--) {
        const part = parts[Math.floor(next() * parts.length)];
        const from = Math.floor(next() * part.length);
        text += part.slice(from, from + Math.floor(next() * part.length));
      }
      expect(() => decodeProbeOutput(text)).not.toThrow();
    }
  });
});

const SERVICES_SECTION = /@@ services rc=0\n(?:\{.*\n)*@@ services count=\d+\n/;
/** The api service's record line (a JSON object keyed by Docker's field names). */
const API_SERVICE = /^\{"ID":"[a-z0-9]{12}","Name":"api".*$/m;

describe('payload content', () => {
  const payload = fixturePayload('manager-bound');
  const edit = (from: RegExp | string, to: string) => decodeProbeOutput(frame(payload.replace(from, to)));

  test('malformed JSON in a section is an error, not an omission', () => {
    expect(edit(/"ID":"[a-z0-9]{12}","Name":"api"/, '"ID":"x","Name":"api"')).toMatchObject({ ok: true });
    expect(edit(/^(\{"ID":"[a-z0-9]{12}","Name":"api".*)\}$/m, '$1')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(edit(/^(\{"ID":"[a-z0-9]{12}","Name":"api".*)\}$/m, '$1,null}')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(edit(/"ID":"[a-z0-9]{12}","Name":"api"/, '"ID":7,"Name":"api"')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(edit('"PublishMode":"ingress"', '"PublishMode":"anycast"')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(edit('"ListenAddr":"10.77.201.11:2377"', '"ListenAddr":10')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(edit('"ListenAddr":"10.77.201.11:2377"', '"ListenAddr":"x","Evil":"y"')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(edit('"DataPathPort":4789', '"DataPathPort":70000')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(edit('"DataPathPort":4789', '"DataPathPort":4789}')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(edit('"LocalNodeState":"active"', '"LocalNodeState":"dormant"')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(edit('"ControlAvailable":true', '"ControlAvailable":"true"')).toMatchObject({ ok: false, reason: 'malformed' });
  });

  test('two services or two networks sharing a short ID are an error, never one object', () => {
    const idOf = (name: string) => new RegExp(`"ID":"([a-z0-9]{12})","Name":"${name}"`).exec(payload)![1];
    expect(edit(`"ID":"${idOf('web')}"`, `"ID":"${idOf('api')}"`)).toMatchObject({ ok: false, reason: 'malformed', message: expect.stringContaining('two records share the ID') });
    const netId = (name: string) => new RegExp(`"Name":"${name}","Id":"([a-z0-9]{12})"`).exec(payload)![1];
    expect(edit(`"Name":"plain","Id":"${netId('plain')}"`, `"Name":"plain","Id":"${netId('enc')}"`)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  test('bad section structure is an error', () => {
    expect(edit('@@ nodes rc=0\n', '@@ Nodes rc=0\n')).toMatchObject({ reason: 'malformed' });
    expect(edit('@@ nodes rc=0\n', '@@ services rc=0\n')).toMatchObject({ reason: 'malformed' });
    expect(edit('@@ nodes rc=0\n', '@ nodes rc=0\n')).toMatchObject({ reason: 'malformed' });
    expect(edit(/^@@ meta rc=0\n/, '')).toMatchObject({ reason: 'malformed' });
    expect(decodeProbeOutput(frame(payload.replace(/\n$/, ''), 'gz64'))).toMatchObject({ reason: 'malformed' });
    expect(edit('local=10.77.201.11:2377', 'local=10.77.201.11:22')).toMatchObject({ reason: 'malformed' });
    expect(edit('local=10.77.201.11:2377', 'local=not-an-ip:2377')).toMatchObject({ reason: 'malformed' });
  });

  test('escaped content lines come back unescaped', () => {
    const hostile = payload.replace(
      /@@ sa-log rc=0\n(?:.*\n)*$/,
      '@@ sa-log rc=0\nsource=log count=2\n@@@ sneaky\n@@SWARM-AUDIT-PROBE/1 END\n@@ sa-log count=3\n',
    );
    const result = decodeProbeOutput(frame(hostile));
    if (!result.ok) throw new Error(result.message);
    expect(result.facts.ipsec!.saFailures).toEqual(['@ sneaky', 'SWARM-AUDIT-PROBE/1 END']);
  });

  test('a failed section becomes a problem with the cause, and its facts stay absent', () => {
    const failed = payload.replace(
      SERVICES_SECTION,
      '@@ services rc=1\n@@ services count=0\n@@ services.stderr rc=1\nError response from daemon: rpc error: code = DeadlineExceeded\n@@ services.stderr count=1\n',
    );
    const result = decodeProbeOutput(frame(failed));
    if (!result.ok) throw new Error(result.message);
    expect(result.facts.services).toBeUndefined();
    expect(result.facts.networks).toHaveLength(5);
    expect(result.facts.problems).toEqual([{ section: 'services', message: expect.stringMatching(/DeadlineExceeded.*exit 1/) }]);
  });

  test('a manager whose services were not collected reports it', () => {
    const result = decodeProbeOutput(frame(payload.replace(SERVICES_SECTION, '')));
    expect(result.ok && result.facts.problems).toEqual([{ section: 'services', message: 'services were not collected' }]);
  });

  test('a swarm that locks between steps is reported as locked', () => {
    const failed = payload.replace(
      /@@ nodes rc=0\n(?:\{.*\n)*@@ nodes count=\d+\n/,
      '@@ nodes rc=1\n@@ nodes count=0\n@@ nodes.stderr rc=1\nError response from daemon: Swarm is encrypted and needs to be unlocked before it can be used.\n@@ nodes.stderr count=1\n',
    );
    const result = decodeProbeOutput(frame(failed));
    expect(result.ok && result.facts.docker.error?.kind).toBe('swarm-locked');
  });

  test('unreadable xfrm and dockerd log are "unknown" with their cause, not "none"', () => {
    const unread = payload
      .replace(/@@ xfrm-policy rc=0\n.*\n@@ xfrm-policy count=1\n/, '@@ xfrm-policy rc=2\n@@ xfrm-policy count=0\n')
      .replace(/@@ sa-log rc=0\n(?:.*\n)*$/, '@@ sa-log rc=1\n@@ sa-log count=0\n@@ sa-log.stderr rc=1\ncannot read /var/log/docker.log\n@@ sa-log.stderr count=1\n');
    const result = decodeProbeOutput(frame(unread));
    if (!result.ok) throw new Error(result.message);
    expect(result.facts.ipsec).toEqual({ readable: false, espPolicies: 0, espStates: 0, saFailures: [] });
    expect(result.facts.problems).toEqual([
      { section: 'xfrm-policy', message: 'exit 2' },
      { section: 'sa-log', message: 'cannot read /var/log/docker.log (exit 1)' },
    ]);
  });

  test('IPsec sections the record lacks are problems too (never "no SAs")', () => {
    const result = decodeProbeOutput(frame(payload.replace(/@@ xfrm-state rc=0\n.*\n@@ xfrm-state count=1\n/, '')));
    if (!result.ok) throw new Error(result.message);
    expect(result.facts.ipsec!.readable).toBe(false);
    expect(result.facts.problems).toEqual([{ section: 'xfrm-state', message: 'not collected' }]);
  });

  test('the frame probe.sh prints when it has no temp directory decodes to a host in error', () => {
    const text = 'SWARM-AUDIT-PROBE/1 enc=raw bytes=58 cksum=1309130125\n@@ probe rc=1\nno writable temp directory\n@@ probe count=1\nSWARM-AUDIT-PROBE/1 END\n';
    const result = decodeProbeOutput(text);
    if (!result.ok) throw new Error(result.message);
    expect(result.facts.docker.error?.message).toMatch(/no writable temp directory/);
    expect(result.facts.problems[0].section).toBe('probe');
  });
});

describe('section counts: a lost or added line is an error naming the section, never a missing object', () => {
  const payload = fixturePayload('manager-bound');
  const lines = payload.slice(0, -1).split('\n');
  const decodeLines = (edited: string[]) => decodeProbeOutput(frame(`${edited.join('\n')}\n`));
  const indexOf = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
  const servicesCount = () => Number(/count=(\d+)/.exec(lines[indexOf(/^@@ services count=/)])![1]);

  test('the fixture has several services to lose one of', () => {
    expect(servicesCount()).toBeGreaterThan(1);
  });

  test('a services line removed -> count-mismatch naming services, expected and actual count', () => {
    const edited = lines.filter((_, i) => i !== indexOf(API_SERVICE));
    const result = decodeLines(edited);
    expect(result).toEqual({
      ok: false,
      reason: 'count-mismatch',
      message: `section services: count=${servicesCount()} but ${servicesCount() - 1} lines`,
    });
  });

  test('an extra services line -> count-mismatch', () => {
    const at = indexOf(API_SERVICE);
    const edited = [...lines.slice(0, at + 1), lines[at].replace('"api"', '"api2"'), ...lines.slice(at + 1)];
    expect(decodeLines(edited)).toEqual({
      ok: false,
      reason: 'count-mismatch',
      message: `section services: count=${servicesCount()} but ${servicesCount() + 1} lines`,
    });
  });

  test('a wrong count -> count-mismatch', () => {
    const edited = lines.map((line) => line.replace(/^@@ nodes count=(\d+)$/, (_, n) => `@@ nodes count=${Number(n) + 1}`));
    const result = decodeLines(edited);
    expect(result).toMatchObject({ ok: false, reason: 'count-mismatch', message: expect.stringMatching(/^section nodes: count=\d+ but \d+ lines$/) });
  });

  test('a line after a count line is counted against that section', () => {
    const at = indexOf(/^@@ networks count=/);
    const edited = [...lines.slice(0, at + 1), '{"Name":"x"}', ...lines.slice(at + 1)];
    const expected = Number(/count=(\d+)/.exec(lines[at])![1]);
    expect(decodeLines(edited)).toEqual({ ok: false, reason: 'count-mismatch', message: `section networks: count=${expected} but ${expected + 1} lines` });
  });

  test('a missing count line -> count-mismatch naming the section', () => {
    const edited = lines.filter((line) => !line.startsWith('@@ tasks count='));
    expect(decodeLines(edited)).toMatchObject({ ok: false, reason: 'count-mismatch', message: expect.stringMatching(/^section tasks: its count line is missing/) });
  });

  test('a stderr part is counted too', () => {
    const docker = fixturePayload('docker-missing');
    const cut = docker.replace('@@ docker.stderr count=1\n', '@@ docker.stderr count=2\n');
    expect(decodeProbeOutput(frame(cut))).toEqual({ ok: false, reason: 'count-mismatch', message: 'section docker.stderr: count=2 but 1 line' });
  });

  test('a count line out of place is malformed', () => {
    const edited = lines.map((line) => line.replace(/^@@ nodes count=/, '@@ networks count='));
    expect(decodeLines(edited)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  test.each(FIXTURES)('%s: removing or repeating any one line never decodes', (name) => {
    const all = fixturePayload(name).slice(0, -1).split('\n');
    all.forEach((line, i) => {
      const removed = decodeProbeOutput(frame(`${all.filter((_, j) => j !== i).join('\n')}\n`));
      if (removed.ok) throw new Error(`${name}: line ${i + 1} removed still decodes: ${line}`);
      if (!line.startsWith('@@ ')) expect(removed.reason).toBe('count-mismatch');
      const repeated = decodeProbeOutput(frame(`${[...all.slice(0, i + 1), line, ...all.slice(i + 1)].join('\n')}\n`));
      if (repeated.ok) throw new Error(`${name}: line ${i + 1} repeated still decodes: ${line}`);
      if (!line.startsWith('@@ ')) expect(repeated.reason).toBe('count-mismatch');
    });
  });
});
