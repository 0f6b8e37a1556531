/**
 * A small well-formedness check for generated XML: balanced elements, quoted
 * attributes, only the five predefined entities or numeric references, and no
 * character XML 1.0 forbids. Enough to catch broken escaping.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml)) problems.push('forbidden control character');
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let match: RegExpExecArray | null;
  while ((match = token.exec(body))) {
    const [, closing, name, attrs, selfClosing, text, stray] = match;
    if (stray) {
      problems.push(`stray < at ${match.index}`);
      continue;
    }
    const content = text ?? attrs ?? '';
    for (const amp of content.matchAll(/&([^;\s]*);?/g)) {
      if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(amp[0])) problems.push(`bad entity ${amp[0]}`);
    }
    if (text !== undefined) continue;
    if (closing) {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
    } else if (!selfClosing) {
      stack.push(name!);
    }
  }
  if (stack.length) problems.push(`unclosed ${stack.join(',')}`);
  return problems;
}
