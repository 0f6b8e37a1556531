import { describe, expect, it } from '@jest/globals';
import { escapeMarkdownCell, terminalSafe, terminalSafeLines } from '../../src/report/text-safety.js';

/** Every character class a terminal or a renderer would act on or hide, with the visible form it must become. */
const CASES: [string, string, string][] = [
  ['ESC (CSI clear screen)', '\u001b[2J', '\\x1b[2J'],
  ['C1 CSI', '\u009b31m', '\\x9b31m'],
  ['carriage return', 'a\rb', 'a\\x0db'],
  ['NUL and DEL', '\u0000\u007f', '\\x00\\x7f'],
  ['newline', 'a\nb', 'a\\nb'],
  ['bidi embeddings and overrides', '\u202a\u202b\u202c\u202d\u202e', '\\u202a\\u202b\\u202c\\u202d\\u202e'],
  ['bidi isolates', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
  ['zero-width space, non-joiner, joiner', 'a\u200bb\u200cc\u200dd', 'a\\u200bb\\u200cc\\u200dd'],
  ['word joiner and BOM', '\u2060\ufeff', '\\u2060\\ufeff'],
];

describe('terminalSafe', () => {
  it.each(CASES)('%s becomes visible', (_what, input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
  });

  it('leaves ordinary text, including non-Latin letters, alone', () => {
    expect(terminalSafe("web-1 'q' $(id) é 日本")).toBe("web-1 'q' $(id) é 日本");
  });

  it('terminalSafeLines keeps the line breaks of a multi-line text and escapes inside each line', () => {
    expect(terminalSafeLines('set -eu\necho \u202eabc\u001b[0m')).toBe('set -eu\necho \\u202eabc\\x1b[0m');
  });
});

describe('escapeMarkdownCell', () => {
  it('shows bidi and zero-width characters instead of letting the page reorder or hide text', () => {
    expect(escapeMarkdownCell('a\u202eb\u200bc')).toBe('a\\\\u202eb\\\\u200bc');
  });
});
