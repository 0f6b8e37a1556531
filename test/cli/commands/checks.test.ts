/**
 * `checks` through main(): the catalog of the shipped checks, as a table or
 * JSON, with no AWS at all (the client factory is never asked).
 */
import { checkRegistry } from '../../../src/checks/registry.js';
import { runCli } from '../helpers/run-cli.js';

const SHIPPED = checkRegistry.all.map((c) => c.meta.id);

describe('checks', () => {
  it('prints one table row per shipped check with its CIS reference, scope and remediability: exit 0, no AWS client', async () => {
    const { code, out, err, asked } = await runCli(['checks']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^ID\s+CIS\s+SCOPE\s+SEVERITY\s+REMEDIABLE\s+TITLE$/);
    expect(SHIPPED.length).toBeGreaterThan(0);
    for (const id of SHIPPED) expect(lines.filter((l) => l.startsWith(`${id} `))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('overlay-encryption '))).toMatch(/^overlay-encryption\s+7\.3\s+cluster\s+high\s+yes\s+Swarm overlay networks are encrypted$/);
    expect(lines.find((l) => l.startsWith('swarm-published-ports '))).toMatch(/\s-\s+cluster\s+medium\s+on request\s/);
    expect(asked).toEqual([]);
  });

  it('--output json lists the same checks with the facts they read and the probe sections behind them', async () => {
    const { code, out, asked } = await runCli(['checks', '--output', 'json']);
    expect(code).toBe(0);
    const { checks } = JSON.parse(out) as { checks: { id: string; reads: string[]; probeSections: string[] }[] };
    expect(checks.map((c) => c.id)).toEqual(SHIPPED);
    for (const check of checks) {
      expect(check.reads.length).toBeGreaterThan(0);
      expect(check.probeSections.length).toBeGreaterThan(0);
    }
    expect(asked).toEqual([]);
  });

  it('an unknown format is exit 3', async () => {
    const { code, err } = await runCli(['checks', '--output', 'yaml']);
    expect(code).toBe(3);
    expect(err).toMatch(/Invalid values:[\s\S]*output/);
  });
});
