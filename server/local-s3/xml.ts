import { S3Error } from './errors.ts';

/** Tiny XML builder and parser, enough for S3's request and response documents. */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/**
 * A stored time as S3 writes it in XML, in whole seconds (`2026-12-04T13:59:44.000Z`): the HTTP dates of the
 * same object (Last-Modified) have no milliseconds, and tools compare the two (`aws s3 sync --exact-timestamps`
 * sets a downloaded file's time from the listing and then wants the listing to match it). Records keep the
 * milliseconds, to order uploads of one key by when they began.
 */
export function xmlTime(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString();
}

/**
 * Escapes text content. CR and the other control characters are written as character references, as S3 writes
 * them (`&#13;`, `&#x1b;`): raw, a parser reads CR as LF, so a client would read back a key that is not the
 * object's. Tab and LF come through parsing as they are.
 */
// eslint-disable-next-line no-control-regex
const TO_ESCAPE = /[&<>"'\x00-\x08\x0b-\x1f]/g;

export function escapeXml(text: string): string {
  return text.replace(TO_ESCAPE, (c) => ESCAPES[c] ?? `&#x${c.charCodeAt(0).toString(16)};`);
}

/** A node to build: `['Name', 'text']`, `['Name', [children…]]`, or undefined (omitted). */
export type XmlNode =
  readonly [string, string | number | boolean | readonly (XmlNode | undefined)[]] | undefined;

function render(node: XmlNode): string {
  if (node === undefined) return '';
  const [name, content] = node;
  if (Array.isArray(content)) return `<${name}>${content.map(render).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(content))}</${name}>`;
}

export function buildXml(root: string, children: readonly XmlNode[]): string {
  const body = children.map(render).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</${root}>`;
}

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      // NUL, a surrogate or past U+10FFFF names no character: a malformed document, not a RangeError (a 500).
      if (!isCharacterCode(code)) throw new S3Error('MalformedXML');
      return String.fromCodePoint(code);
    }
    return ENTITIES[ent] ?? whole;
  });
}

function isCharacterCode(code: number): boolean {
  return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
}

/** Parses a document into an element tree; namespaces prefixes are dropped. Throws MalformedXML. */
export function parseXml(source: string): XmlElement {
  const malformed = () => new S3Error('MalformedXML');
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    if (lt === -1) {
      if (source.slice(i).trim() !== '') throw malformed();
      break;
    }
    if (lt > i) top.text += decodeEntities(source.slice(i, lt));
    if (source.startsWith('<?', lt)) {
      const end = source.indexOf('?>', lt);
      if (end === -1) throw malformed();
      i = end + 2;
    } else if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt);
      if (end === -1) throw malformed();
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt);
      if (end === -1) throw malformed();
      top.text += source.slice(lt + 9, end);
      i = end + 3;
    } else if (source.startsWith('<!', lt)) {
      const end = source.indexOf('>', lt);
      if (end === -1) throw malformed();
      i = end + 1;
    } else if (source[lt + 1] === '/') {
      const end = source.indexOf('>', lt);
      if (end === -1) throw malformed();
      const name = localName(source.slice(lt + 2, end).trim());
      const open = stack.pop();
      if (!open || open === root || open.name !== name) throw malformed();
      i = end + 1;
    } else {
      const end = source.indexOf('>', lt);
      if (end === -1) throw malformed();
      let inner = source.slice(lt + 1, end);
      const selfClosing = inner.endsWith('/');
      if (selfClosing) inner = inner.slice(0, -1);
      const name = localName(inner.trim().split(/\s+/)[0] ?? '');
      if (name === '') throw malformed();
      const element: XmlElement = { name, children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
      i = end + 1;
    }
  }
  if (stack.length !== 1) throw malformed();
  const [documentElement, ...rest] = root.children;
  if (!documentElement || rest.length > 0) throw malformed();
  return documentElement;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text;
}
