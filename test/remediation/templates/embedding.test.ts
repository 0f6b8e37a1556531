import { TEMPLATE_TEXT } from '../../../src/remediation/builders/template-text.js';
import { embed, templatesOnDisk } from './embed.js';

describe('template embedding', () => {
  if (process.env.SWARM_AUDIT_EMBED_TEMPLATES === '1') embed();

  test('template-text.ts holds exactly the .sh files beside the builders (SWARM_AUDIT_EMBED_TEMPLATES=1 to refresh)', () => {
    expect(TEMPLATE_TEXT).toEqual(templatesOnDisk());
  });
});
