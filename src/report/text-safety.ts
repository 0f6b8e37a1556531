/**
 * Escaping for the text formats. Names and messages come from Docker and
 * EC2 (service names, tags): treat them as hostile.
 */

// XML 1.0 forbids these even as character references.
// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids are control characters
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// C0/C1 controls and DEL: terminal escape sequences start with ESC (0x1b) or CSI (0x9b).
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/**
 * Characters a terminal or browser renders invisibly but that change what a
 * reader sees: bidi embeddings/overrides (U+202A-202E) and isolates
 * (U+2066-2069) reorder a line ("Trojan Source"), zero-width space/joiners
 * (U+200B-200D), word joiner (U+2060) and BOM (U+FEFF) hide inside names.
 */
const INVISIBLE = /[\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

function hex(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

function codePoint(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Text content of an XML element. */
export function escapeXmlText(text: string): string {
  return text
    .replace(XML_FORBIDDEN, hex)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A double-quoted XML attribute value; keeps newlines and tabs as character references. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/**
 * One line of terminal text: control characters (ANSI escapes, newlines)
 * become visible \xNN / \n, bidi and zero-width characters \uNNNN.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(CONTROL, (char) => (char === '\n' ? '\\n' : char === '\t' ? ' ' : hex(char)))
    .replace(INVISIBLE, codePoint);
}

/** Several lines of terminal text (a script, a runbook): each line made safe on its own, the line breaks kept. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

/** A GitHub-flavoured markdown table cell: no HTML, no formatting, no pipes or line breaks that split the row. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, (char) => (char === '\n' ? '\n' : ' '))
    .replace(INVISIBLE, codePoint)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]~|])/g, '\\$1')
    .replace(/\n/g, '<br>');
}
