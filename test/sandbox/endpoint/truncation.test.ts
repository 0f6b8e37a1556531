import {
  CONTENT_TRUNCATED_SUFFIX,
  ERROR_TITLE,
  ERROR_TRUNCATED_MARKER,
  OUTPUT_TRUNCATED_MARKER,
  stringPrefix,
  truncatePluginOutput,
} from '../../../packages/sandbox/src/endpoint/ssm/truncation.js';

const a = (n: number) => 'a'.repeat(n);
const e = (n: number) => 'e'.repeat(n);

describe('stringPrefix (GetCommandInvocation contents)', () => {
  it('keeps text shorter than the limit', () => {
    expect(stringPrefix(a(23_999), 24_000)).toBe(a(23_999));
  });

  it('cuts at the limit including the suffix, like the agent (even at exactly the limit)', () => {
    for (const length of [24_000, 30_000]) {
      const cut = stringPrefix(a(length), 24_000);
      expect(cut).toHaveLength(24_000);
      expect(cut.endsWith(CONTENT_TRUNCATED_SUFFIX)).toBe(true);
    }
    const stderr = stringPrefix(e(9000), 8000);
    expect(stderr).toBe(e(8000 - CONTENT_TRUNCATED_SUFFIX.length) + CONTENT_TRUNCATED_SUFFIX);
  });
});

describe('truncatePluginOutput (ListCommandInvocations Output)', () => {
  it('joins stdout and stderr with the ERROR title only when stderr is non-empty', () => {
    expect(truncatePluginOutput('hi\n', '')).toBe('hi\n');
    expect(truncatePluginOutput('hi\n', 'err\n')).toBe(`hi\n${ERROR_TITLE}err\n`);
  });

  it('cuts a long stdout with the output marker and never exceeds 2,500 characters', () => {
    const out = truncatePluginOutput(a(30_000), '');
    expect(out).toBe(a(2500 - OUTPUT_TRUNCATED_MARKER.length) + OUTPUT_TRUNCATED_MARKER);
    expect(out).toHaveLength(2500);
  });

  it('keeps a short stderr whole and cuts stdout', () => {
    const out = truncatePluginOutput(a(5000), e(100));
    expect(out.endsWith(`${OUTPUT_TRUNCATED_MARKER}${ERROR_TITLE}${e(100)}`)).toBe(true);
    expect(out).toHaveLength(2500);
  });

  it('keeps a short stdout whole and cuts stderr', () => {
    const out = truncatePluginOutput(a(100), e(5000));
    expect(out.startsWith(`${a(100)}${ERROR_TITLE}`)).toBe(true);
    expect(out.endsWith(ERROR_TRUNCATED_MARKER)).toBe(true);
    expect(out).toHaveLength(2500);
  });

  it('cuts both halves when both are long', () => {
    const out = truncatePluginOutput(a(5000), e(5000));
    expect(out).toContain(OUTPUT_TRUNCATED_MARKER + ERROR_TITLE);
    expect(out.endsWith(ERROR_TRUNCATED_MARKER)).toBe(true);
    expect(out.length).toBeLessThanOrEqual(2500);
    expect(out.length).toBeGreaterThan(2490);
  });

  it('treats exactly-at-capacity as a cut (the agent tests with <)', () => {
    expect(truncatePluginOutput(a(2499), '')).toBe(a(2499));
    expect(truncatePluginOutput(a(2500), '').endsWith(OUTPUT_TRUNCATED_MARKER)).toBe(true);
  });
});
