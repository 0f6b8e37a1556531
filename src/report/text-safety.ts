/**
 * Escaping for the text formats. Names and messages come from Docker and
 * EC2 (service names, tags): treat them as hostile.
 */

// XML 1.0 forbids these even as character references.
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// C0/C1 controls and DEL: terminal escape sequences start with ESC (0x1b) or CSI (0x9b).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function hex(char: string): string {
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
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

/** One line of terminal text: control characters (ANSI escapes, newlines) become visible \xNN / \n. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (char) => (char === '\n' ? '\\n' : char === '\t' ? ' ' : hex(char)));
}

/** A GitHub-flavoured markdown table cell: no HTML, no formatting, no pipes or line breaks that split the row. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, (char) => (char === '\n' ? '\n' : ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]~|])/g, '\\$1')
    .replace(/\n/g, '<br>');
}
