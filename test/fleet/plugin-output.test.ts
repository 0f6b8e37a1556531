import { isGetStreamCut, splitPluginOutput } from '../../src/fleet/plugin-output.js';
import { agentPluginOutput } from './helpers/fake-ssm.js';

describe('splitPluginOutput', () => {
  it('splits what the agent joined when nothing was cut', () => {
    expect(splitPluginOutput(agentPluginOutput('out', 'err'))).toEqual({ stdout: 'out', stderr: 'err', stdoutCut: false, stderrCut: false });
    expect(splitPluginOutput(agentPluginOutput('out', ''))).toEqual({ stdout: 'out', stderr: '', stdoutCut: false, stderrCut: false });
    expect(splitPluginOutput(agentPluginOutput('', 'err'))).toEqual({ stdout: '', stderr: 'err', stdoutCut: false, stderrCut: false });
    expect(splitPluginOutput('')).toEqual({ stdout: '', stderr: '', stdoutCut: false, stderrCut: false });
  });

  it.each([
    ['long stdout', 'o'.repeat(5_000), 'e', true, false],
    ['long stderr', 'o', 'e'.repeat(5_000), false, true],
    ['both long', 'o'.repeat(5_000), 'e'.repeat(5_000), true, true],
  ])('flags cuts for %s (the agent format stays within 2,500)', (_name, stdout, stderr, stdoutCut, stderrCut) => {
    const output = agentPluginOutput(stdout, stderr);
    expect(output.length).toBeLessThanOrEqual(2_500);
    const split = splitPluginOutput(output);
    expect(split.stdoutCut).toBe(stdoutCut);
    expect(split.stderrCut).toBe(stderrCut);
    expect(split.stdout).not.toContain('---Output truncated---');
  });

  it('treats a stdout that prints the error title itself as cut (ambiguous)', () => {
    const split = splitPluginOutput(agentPluginOutput('a\n----------ERROR-------\nb', 'c'));
    expect(split.stdoutCut).toBe(true);
  });

  it('does not trust an Output at the 2,500 limit without a marker', () => {
    expect(splitPluginOutput('x'.repeat(2_500)).stdoutCut).toBe(true);
    expect(splitPluginOutput('x'.repeat(2_498)).stdoutCut).toBe(false);
  });
});

describe('isGetStreamCut', () => {
  it('sees the agent marker or a full-length stream', () => {
    expect(isGetStreamCut('abc--output truncated--', 24_000)).toBe(true);
    expect(isGetStreamCut('a'.repeat(24_000), 24_000)).toBe(true);
    expect(isGetStreamCut('a'.repeat(23_999), 24_000)).toBe(false);
  });
});
