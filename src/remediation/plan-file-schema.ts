/**
 * The plan file's shape as a JSON Schema (saved-plan.ts validates it with
 * ajv before anything else): every object closed, so no script or hook rides
 * along. The values a step would put into a script (names, IDs, ports,
 * intents) are then checked by the builders' own validators, the ones the
 * scripts use (quote.ts): the schema does not restate them.
 */
import { PLAN_SCHEMA_VERSION } from './plan.js';
import { REMEDIABLE_CHECKS } from './plan-remediation.js';

const sha256 = { type: 'string', pattern: '^sha256:[a-f0-9]{64}$', description: 'sha256:<64 hex>' };
const strings = { type: 'array', items: { type: 'string' } };

function closed(properties: Record<string, object>, optional: readonly string[] = []) {
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)), additionalProperties: false };
}

const step = closed({
  id: { type: 'string', pattern: '^[a-z0-9]{1,12}-\\d{3}-[a-z-]+$', description: 'a step id (<cluster>-<nnn>-<kind>)' },
  clusterId: { type: 'string' },
  instanceId: { type: 'string' },
  // a string here: an unknown kind is refused with its step named (saved-plan.ts)
  kind: { type: 'string' },
  // each kind's intent is read by its builder
  intent: { type: 'object' },
});

export const PLAN_FILE_SCHEMA = closed({
  schemaVersion: { const: PLAN_SCHEMA_VERSION, description: `${PLAN_SCHEMA_VERSION} (plan again with this version)` },
  digest: sha256,
  createdAt: { type: 'string' },
  stateHash: sha256,
  checks: { type: 'array', items: { enum: [...REMEDIABLE_CHECKS] } },
  options: closed({
    keepName: { type: 'boolean' },
    includeIngress: { type: 'boolean' },
    unpublish: { type: 'array', items: closed({ service: { type: 'string' }, port: { type: 'integer' } }) },
    hostMode: strings,
  }),
  clusters: { type: 'array', items: closed({ clusterId: { type: 'string' }, steps: { type: 'array', items: step } }) },
  guidance: {
    type: 'array',
    items: closed(
      { checkId: { type: 'string' }, clusterId: { type: 'string' }, instanceId: { type: 'string' }, resource: { type: 'string' }, message: { type: 'string' }, runbook: strings },
      ['clusterId', 'instanceId', 'resource', 'runbook'],
    ),
  },
});
