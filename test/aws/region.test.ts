import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRegion } from '../../src/aws/region.js';

describe('resolveRegion', () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'swarm-audit-region-'));
    config = join(dir, 'config');
    writeFileSync(config, '[default]\nregion = eu-west-1\n\n[profile audit]\n# comment\noutput = json\nregion=ap-south-1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prefers the flag, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile', () => {
    const env = { AWS_CONFIG_FILE: config, AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-east-2' };
    expect(resolveRegion('sa-east-1', undefined, env)).toBe('sa-east-1');
    expect(resolveRegion(undefined, undefined, env)).toBe('us-west-2');
    expect(resolveRegion(undefined, undefined, { ...env, AWS_REGION: '' })).toBe('us-east-2');
    expect(resolveRegion(undefined, 'audit', { AWS_CONFIG_FILE: config })).toBe('ap-south-1');
    expect(resolveRegion(undefined, undefined, { AWS_CONFIG_FILE: config })).toBe('eu-west-1');
    expect(resolveRegion(undefined, undefined, { AWS_CONFIG_FILE: config, AWS_PROFILE: 'audit' })).toBe('ap-south-1');
  });

  it('throws UsageError RegionMissing when nothing names a region', () => {
    expect(() => resolveRegion(undefined, 'nope', { AWS_CONFIG_FILE: config })).toThrow(
      expect.objectContaining({ name: 'UsageError', code: 'RegionMissing' }),
    );
    expect(() => resolveRegion(undefined, undefined, { AWS_CONFIG_FILE: join(dir, 'missing') })).toThrow(/no AWS region/);
  });
});
