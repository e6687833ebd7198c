import { describe, expect, it } from 'vitest';
import { buildXml, childElements, childText, escapeXml, parseXml } from './xml.ts';

describe('xml', () => {
  it('escapes text and builds S3 documents, omitting undefined nodes', () => {
    expect(escapeXml(`a<b>&"'`)).toBe('a&lt;b&gt;&amp;&quot;&apos;');
    const xml = buildXml('Result', [['Key', 'a&b'], undefined, ['Part', [['N', 1]]]]);
    expect(xml).toContain(
      '<Result xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Key>a&amp;b</Key><Part><N>1</N></Part></Result>',
    );
  });

  it('writes CR and the other control characters as character references, as S3 does; tab and LF as they are', () => {
    expect(escapeXml('a\rb\r\nc')).toBe('a&#13;b&#13;\nc');
    expect(escapeXml('\u0000\u0001\u001b\u001f\t')).toBe('&#x0;&#x1;&#x1b;&#x1f;\t');
    const xml = buildXml('Result', [['Key', 'k/cr\rx\u0001']]);
    expect(childText(parseXml(xml), 'Key')).toBe('k/cr\rx\u0001');
  });

  it('parses a CompleteMultipartUpload body with namespace, entities and whitespace', () => {
    const doc = parseXml(`<?xml version="1.0" encoding="UTF-8"?>
      <CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Part><PartNumber>1</PartNumber><ETag>&quot;abc&quot;</ETag></Part>
        <Part><PartNumber>2</PartNumber><ETag>"def"</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>
      </CompleteMultipartUpload>`);
    expect(doc.name).toBe('CompleteMultipartUpload');
    const parts = childElements(doc, 'Part');
    expect(parts.map((p) => childText(p, 'ETag'))).toEqual(['"abc"', '"def"']);
    expect(childText(parts[1]!, 'ChecksumCRC32')).toBe('AAAAAA==');
  });

  it('decodes numeric entities and CDATA, and handles self-closing tags', () => {
    const doc = parseXml(
      '<Delete><Object><Key>a&#x1F600;&#65;<![CDATA[<x>]]></Key></Object><Quiet/></Delete>',
    );
    expect(childText(childElements(doc, 'Object')[0]!, 'Key')).toBe('a😀A<x>');
    expect(childText(doc, 'Quiet')).toBe('');
  });

  it.each(['&#x110000;', '&#1114112;', '&#xD800;', '&#xdfff;', '&#0;', '&#x0;', '&#x7fffffffffffffffffff;'])(
    'rejects the character reference %s, which names no character, as MalformedXML',
    (ref) => {
      expect(() => parseXml(`<Delete><Object><Key>a${ref}</Key></Object></Delete>`)).toThrow(
        expect.objectContaining({ code: 'MalformedXML' }),
      );
    },
  );

  it.each(['', '<a>', '<a></b>', '<a/><b/>', 'text', '<a>x</a>trailing'])('rejects malformed %j', (src) => {
    expect(() => parseXml(src)).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
  });
});
