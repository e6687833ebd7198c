import { describe, expect, it } from 'vitest';
import { parseTaggingDirective, parseTaggingHeader, parseTaggingXml, validateTags } from './tagging.ts';
import { parseXml } from './xml.ts';

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const e = error as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('expected a failure');
};

describe('object tags', () => {
  it('reads x-amz-tagging as a URL query string', () => {
    expect(parseTaggingHeader(undefined)).toBeUndefined();
    expect(parseTaggingHeader('')).toEqual([]);
    expect(parseTaggingHeader('a=1&b=two%20words&c=&d=x+y')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: 'two words' },
      { key: 'c', value: '' },
      { key: 'd', value: 'x y' },
    ]);
  });

  it('reads a Tagging document, empty values included', () => {
    const doc = parseXml(
      '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>k</Key><Value>v &amp; w</Value></Tag><Tag><Key>e</Key><Value/></Tag></TagSet></Tagging>',
    );
    expect(parseTaggingXml(doc)).toEqual([
      { key: 'k', value: 'v & w' },
      { key: 'e', value: '' },
    ]);
    expect(failure(() => parseTaggingXml(parseXml('<Tagging/>'))).code).toBe('MalformedXML');
    expect(
      failure(() => parseTaggingXml(parseXml('<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>')))
        .code,
    ).toBe('MalformedXML');
  });

  it('allows 10 tags, a 128-character key and a 256-character value, and no more (InvalidTag)', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(validateTags(ten)).toHaveLength(10);
    expect(failure(() => validateTags([...ten, { key: 'k10', value: '' }]))).toEqual({
      code: 'InvalidTag',
      message: 'Object tags cannot be greater than 10',
    });
    expect(validateTags([{ key: 'é'.repeat(128), value: 'ü'.repeat(256) }])).toHaveLength(1);
    expect(failure(() => validateTags([{ key: 'k'.repeat(129), value: '' }])).code).toBe('InvalidTag');
    expect(failure(() => validateTags([{ key: 'k', value: 'v'.repeat(257) }])).code).toBe('InvalidTag');
    expect(failure(() => validateTags([{ key: '', value: 'v' }])).code).toBe('InvalidTag');
  });

  it('refuses a repeated key, in the header and in the document', () => {
    expect(failure(() => parseTaggingHeader('a=1&a=2'))).toEqual({
      code: 'InvalidTag',
      message: 'Cannot provide multiple Tags with the same key',
    });
    const doc = parseXml(
      '<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>',
    );
    expect(failure(() => parseTaggingXml(doc)).code).toBe('InvalidTag');
  });

  it('reads x-amz-tagging-directive: COPY by default, REPLACE, anything else InvalidArgument', () => {
    expect(parseTaggingDirective(undefined)).toBe('COPY');
    expect(parseTaggingDirective('REPLACE')).toBe('REPLACE');
    expect(failure(() => parseTaggingDirective('MERGE')).code).toBe('InvalidArgument');
  });
});
