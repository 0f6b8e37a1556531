/** The plan file's shape (src/remediation/plan-file-schema.ts, ajv): each problem named by its path, before the digest is checked. */
import { planRemediation } from '../../src/remediation/plan-remediation.js';
import { PLAN_SCHEMA_VERSION } from '../../src/remediation/plan.js';
import { parsePlan, planDigest, serializePlan } from '../../src/remediation/saved-plan.js';
import { fixtureFleet } from './helpers/fixture-fleet.js';

const { hosts, findings } = fixtureFleet();
const plan = planRemediation({ hosts, findings, now: new Date('2026-01-01T00:00:00Z') });
/** Edited, then resealed as a forger would (the digest is a checksum). */
const edited = (edit: (p: any) => void): string => {
  const p = JSON.parse(serializePlan(plan));
  edit(p);
  p.digest = planDigest(p);
  return JSON.stringify(p);
};

describe('plan file schema', () => {
  test.each([
    ['a wrong type', (p: any) => (p.options.keepName = 'yes'), 'plan file: $.options.keepName must be true or false'],
    ['a missing field', (p: any) => delete p.stateHash, 'plan file: $.stateHash is missing'],
    ['a hash that is not sha256', (p: any) => (p.stateHash = 'md5:abc'), 'plan file: $.stateHash must be sha256:<64 hex>'],
    ['another schema version', (p: any) => (p.schemaVersion = 99), `plan file: $.schemaVersion must be ${PLAN_SCHEMA_VERSION} (plan again with this version)`],
    ['a check that cannot be remediated', (p: any) => (p.checks = ['rm-rf']), 'plan file: $.checks[0] must be one of'],
    ['an unknown field in guidance', (p: any) => (p.guidance[0].run = 'reboot'), 'plan file: $.guidance[0].run is not a known field'],
    ['a step id of another form', (p: any) => (p.clusters[0].steps[0].id = 'x;y'), 'plan file: $.clusters[0].steps[0].id must be a step id'],
    ['an intent that is not an object', (p: any) => (p.clusters[0].steps[0].intent = 'docker rm -f x'), 'plan file: $.clusters[0].steps[0].intent must be an object'],
    ['a port that is not an integer', (p: any) => (p.options.unpublish = [{ service: 'web', port: '80' }]), 'plan file: $.options.unpublish[0].port must be an integer'],
  ])('%s is refused with its path (PlanInvalid, not PlanTampered)', (_what, edit, message) => {
    expect(() => parsePlan(edited(edit))).toThrow(expect.objectContaining({ code: 'PlanInvalid', message: expect.stringContaining(message) }));
  });

  test('a value the builders would refuse in the options is named with its path', () => {
    expect(() => parsePlan(edited((p) => (p.options.hostMode = ['web;reboot'])))).toThrow(/plan file: \$\.options\.hostMode\[0\] is refused: /);
    expect(() => parsePlan(edited((p) => (p.options.unpublish = [{ service: 'web', port: 0 }])))).toThrow(/\$\.options\.unpublish\[0\]\.port is refused/);
  });

  test('the shape is checked before the digest: an unresealed bad field is still named, not called tampering', () => {
    const p = JSON.parse(serializePlan(plan));
    p.options.keepName = 1;
    expect(() => parsePlan(JSON.stringify(p))).toThrow(expect.objectContaining({ code: 'PlanInvalid', message: 'plan file: $.options.keepName must be true or false' }));
  });

  test('a plan file that is not an object', () => {
    expect(() => parsePlan('[]')).toThrow('plan file: $ must be an object');
  });
});
