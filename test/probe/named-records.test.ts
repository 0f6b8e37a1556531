/**
 * Records are read by field name: a newer probe that adds a field to every
 * record leaves every captured fixture decoding to the same facts, an absent
 * optional field reads as Docker's "empty", and an absent required field is a
 * decode error naming the record kind and the field (ERROR, never a PASS).
 */
import { decodeProbeOutput, META_RECORD, type DecodeResult } from '../../src/probe/decode.js';
import { INFO_RECORD, NETWORK_RECORD, NODE_RECORD, SERVICE_RECORD, TASK_RECORD } from '../../src/probe/docker-objects.js';
import { SA_LOG_RECORD, XFRM_POLICY_RECORD, XFRM_STATE_RECORD } from '../../src/probe/ipsec.js';
import { PROC_RECORD, SS_RECORD } from '../../src/probe/listeners.js';
import type { Fields, RecordSchema } from '../../src/probe/record-schema.js';
import { FIXTURES, editSection, fixture, fixturePayload, readSections, reframeLike } from './frame-builder.js';

const decoded = (text: string): DecodeResult => decodeProbeOutput(text);

/** Sections holding one JSON object per line, and the schema of their records. */
const JSON_SECTIONS: Record<string, RecordSchema<Fields>> = {
  info: INFO_RECORD,
  services: SERVICE_RECORD,
  networks: NETWORK_RECORD,
  nodes: NODE_RECORD,
  tasks: TASK_RECORD,
};

/** Sections whose lines are key=value pairs (sa-log: its first line only). */
const PAIR_SECTIONS: Record<string, RecordSchema<Fields>> = {
  'listeners-ss': SS_RECORD,
  'listeners-proc': PROC_RECORD,
  'xfrm-policy': XFRM_POLICY_RECORD,
  'xfrm-state': XFRM_STATE_RECORD,
  'sa-log': SA_LOG_RECORD,
};

/** What a newer probe might add to each kind of section. */
const NEWER_PROBE: Record<string, (lines: string[]) => string[]> = {
  ...Object.fromEntries(
    Object.keys(JSON_SECTIONS).map((name) => [
      name,
      (lines: string[]) => lines.map((line) => `{"AddedFirst":{"Nested":[1,"x",null]},${line.slice(1, -1)},"AddedLast":true}`),
    ]),
  ),
  ...Object.fromEntries(
    Object.keys(PAIR_SECTIONS).map((name) => [
      name,
      (lines: string[]) => lines.map((line, i) => (name === 'sa-log' && i > 0 ? line : `added=1 ${line} kernel=6.1.0-13-amd64`)),
    ]),
  ),
  meta: (lines) => [...lines, 'kernel=6.1.0-13-amd64'],
  state: (lines) => [...lines, '"DefaultAddrPool":"10.0.0.0/8"', '"SubnetSize":24'],
};

/** Sections that are not records: the docker path and the bare version string. */
const NOT_RECORDS = new Set(['docker', 'version']);

function asNewerProbe(name: string): string {
  let payload = fixturePayload(name);
  for (const section of readSections(payload)) {
    if (NOT_RECORDS.has(section)) continue;
    const add = NEWER_PROBE[section];
    if (!add) throw new Error(`${name}: section ${section} has no newer-probe edit: add one`);
    payload = editSection(payload, section, add);
  }
  return reframeLike(name, payload);
}

describe('a newer probe that adds fields', () => {
  test('every captured fixture decodes to the same facts: 0 fixtures invalidated by a new probe field', () => {
    const invalidated = FIXTURES.filter((name) => {
      const newer = asNewerProbe(name);
      expect(newer).not.toBe(fixture(name));
      return JSON.stringify(decoded(newer)) !== JSON.stringify(decoded(fixture(name)));
    });
    expect(invalidated).toEqual([]);
  });

  test.each(FIXTURES)('%s: same facts, deep-equal', (name) => {
    const original = decoded(fixture(name));
    if (!original.ok) throw new Error(`${name}: ${original.message}`);
    expect(decoded(asNewerProbe(name))).toEqual(original);
  });

  test('the managers exercise every kind of record', () => {
    const sections = new Set(FIXTURES.flatMap((name) => readSections(fixturePayload(name))));
    for (const kind of [...Object.keys(JSON_SECTIONS), ...Object.keys(PAIR_SECTIONS), 'meta', 'state']) {
      expect(sections).toContain(kind);
    }
  });
});

/** The first record line of `section` in `fixtureName` changed by `edit`, re-framed. */
function withFirstRecord(fixtureName: string, section: string, edit: (line: string) => string): string {
  const payload = editSection(fixturePayload(fixtureName), section, (lines) => [edit(lines[0]), ...lines.slice(1)]);
  return reframeLike(fixtureName, payload);
}

const withoutJsonField = (field: string) => (line: string) => {
  const record = JSON.parse(line) as Record<string, unknown>;
  if (!(field in record)) throw new Error(`record has no ${field}: ${line}`);
  delete record[field];
  return JSON.stringify(record);
};
const withJsonField = (field: string, value: unknown) => (line: string) => JSON.stringify({ ...JSON.parse(line), [field]: value });
const withoutPair = (key: string) => (line: string) => {
  const kept = line.split(' ').filter((pair) => !pair.startsWith(`${key}=`));
  if (kept.length === line.split(' ').length) throw new Error(`line has no ${key}=: ${line}`);
  return kept.join(' ');
};

const fieldsOf = (schema: RecordSchema<Fields>, required: boolean) =>
  Object.entries(schema.fields).filter(([, spec]) => spec.required === required).map(([field]) => field);

const JSON_CASES = Object.entries(JSON_SECTIONS).map(([section, schema]) => ({ section, schema }));
const PAIR_CASES = [
  { fixture: 'manager-bound', section: 'listeners-ss', schema: SS_RECORD },
  { fixture: 'no-ss', section: 'listeners-proc', schema: PROC_RECORD },
  { fixture: 'manager-bound', section: 'xfrm-policy', schema: XFRM_POLICY_RECORD },
  { fixture: 'manager-bound', section: 'xfrm-state', schema: XFRM_STATE_RECORD },
  { fixture: 'manager-bound', section: 'sa-log', schema: SA_LOG_RECORD },
];

describe('fields removed', () => {
  const manager = decoded(fixture('manager-bound'));

  describe.each(JSON_CASES)('$section records', ({ section, schema }) => {
    test.each(fieldsOf(schema, true))(`required %s removed -> error naming ${schema.kind} and the field`, (field) => {
      expect(decoded(withFirstRecord('manager-bound', section, withoutJsonField(field)))).toEqual({
        ok: false,
        reason: 'malformed',
        message: expect.stringContaining(`${schema.kind} record has no field "${field}" (required)`),
      });
    });

    const optionalFields = fieldsOf(schema, false);
    if (optionalFields.length > 0) {
      test.each(optionalFields)('optional %s removed -> decodes as Docker printing it empty (null)', (field) => {
        const absent = decoded(withFirstRecord('manager-bound', section, withoutJsonField(field)));
        expect(absent.ok).toBe(true);
        expect(absent).toEqual(decoded(withFirstRecord('manager-bound', section, withJsonField(field, null))));
      });
    }

    test.each(Object.keys(schema.fields))('%s of the wrong type -> malformed', (field) => {
      expect(decoded(withFirstRecord('manager-bound', section, withJsonField(field, 7.5)))).toMatchObject({ ok: false, reason: 'malformed' });
    });
  });

  describe.each(PAIR_CASES)('$section lines', ({ fixture: name, section, schema }) => {
    test.each(fieldsOf(schema, true))(`required %s removed -> error naming ${schema.kind} and the field`, (key) => {
      expect(decoded(withFirstRecord(name, section, withoutPair(key)))).toEqual({
        ok: false,
        reason: 'malformed',
        message: expect.stringContaining(`${schema.kind} record has no field "${key}" (required)`),
      });
    });
  });

  test('meta: the probe version is required, host and time are optional', () => {
    expect(fieldsOf(META_RECORD, true)).toEqual(['probe']);
    const without = (key: string) => reframeLike('manager-bound', editSection(fixturePayload('manager-bound'), 'meta', (lines) => lines.filter((l) => !l.startsWith(`${key}=`))));
    expect(decoded(without('probe'))).toEqual({ ok: false, reason: 'malformed', message: 'meta: meta record has no field "probe" (required)' });
    if (!manager.ok) throw new Error(manager.message);
    const { hostname: _hostname, ...withoutHost } = manager.facts;
    expect(decoded(without('host'))).toEqual({ ok: true, facts: withoutHost });
    const { collectedAt: _at, ...withoutAt } = manager.facts;
    expect(decoded(without('at'))).toEqual({ ok: true, facts: withoutAt });
  });

  test('state: every docker-state.json key is optional (evidence only; listeners decide)', () => {
    const result = decoded(reframeLike('manager-bound', editSection(fixturePayload('manager-bound'), 'state', (lines) => lines.filter((l) => !l.startsWith('"ListenAddr"')))));
    if (!result.ok || !manager.ok) throw new Error('does not decode');
    expect(result.facts.swarm!.state).toEqual({ ...manager.facts.swarm!.state, listenAddr: undefined });
  });
});
