/** Minimal XML writer for EC2 answers: elements, escaped text, `<item>` lists. */
type XmlValue = string | number | boolean | XmlNode | XmlValue[] | undefined;
export interface XmlNode {
  [element: string]: XmlValue;
}

const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export function renderXml(node: XmlNode): string {
  let out = '';
  for (const [name, value] of Object.entries(node)) {
    if (value === undefined) continue;
    out += `<${name}>${renderValue(value)}</${name}>`;
  }
  return out;
}

function renderValue(value: XmlValue): string {
  if (Array.isArray(value)) return value.map((v) => `<item>${renderValue(v)}</item>`).join('');
  if (typeof value === 'object' && value !== null) return renderXml(value);
  return escapeXml(String(value));
}

export function ec2Response(action: string, requestId: string, body: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}"><requestId>${requestId}</requestId>${renderXml(body)}</${action}Response>`;
}

export function ec2ErrorResponse(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
