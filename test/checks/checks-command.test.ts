import { describe, expect, it } from '@jest/globals';
import { allChecks } from '../../src/checks/registry.js';
import { main } from '../../src/cli/main.js';
import { captureContext } from '../cli/helpers/capture-context.js';

describe('swarm-audit checks', () => {
  it('lists every check with id, CIS, scope, severity, remediable and title', async () => {
    const ctx = captureContext();
    expect(await main(['checks'], ctx)).toBe(0);
    const lines = ctx.out().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CIS\s+SCOPE\s+SEVERITY\s+REMEDIABLE\s+TITLE$/);
    const row = (id: string) => lines.find((line) => line.startsWith(`${id} `))!.split(/\s{2,}/);
    expect(row('swarm-listen-address')).toEqual(['swarm-listen-address', '7.2', 'node', 'high', 'yes', 'Swarm control-plane listeners are bound to a specific host interface']);
    expect(row('swarm-published-ports')).toEqual(['swarm-published-ports', '-', 'cluster', 'medium', 'on request', 'Swarm services do not publish ports on every interface']);
    expect(row('overlay-encryption')).toEqual(['overlay-encryption', '7.3', 'cluster', 'high', 'yes', 'Swarm overlay networks are encrypted']);
    expect(ctx.err()).toBe('');
  });

  it('--output json: the catalog, remediable as the reports carry it, with facts, options and probe sections', async () => {
    const ctx = captureContext();
    expect(await main(['checks', '--output', 'json'], ctx)).toBe(0);
    const { checks } = JSON.parse(ctx.out());
    expect(checks.map((c: { id: string }) => c.id)).toEqual(allChecks.map((c) => c.meta.id));
    const ports = checks.find((c: { id: string }) => c.id === 'swarm-published-ports');
    expect(ports).toMatchObject({
      remediable: false,
      remediation: 'on-request',
      reads: ['services'],
      options: ['allowServices', 'allowPorts'],
      probeSections: ['services'],
    });
    const overlay = checks.find((c: { id: string }) => c.id === 'overlay-encryption');
    expect(overlay).toMatchObject({ cis: '7.3', remediable: true, remediation: 'plans-fixes', reads: ['networks'] });
    expect(overlay.probeSections).toEqual(expect.arrayContaining(['networks', 'nodes', 'tasks', 'xfrm-policy', 'xfrm-state', 'sa-log']));
  });

  it('refuses an unknown format as a usage error', async () => {
    const ctx = captureContext();
    expect(await main(['checks', '--output', 'sarif'], ctx)).toBe(3);
  });
});
