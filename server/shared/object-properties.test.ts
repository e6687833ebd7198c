import { describe, expect, it } from 'vitest';
import {
  metadataNameChanged,
  noProperties,
  propertiesProblem,
  propertyHeaders,
  taggingHeader,
} from './object-properties.ts';

describe('metadataNameChanged', () => {
  it('refuses a name with "_" only where the store turns it into "-", naming what it would keep and the fix', () => {
    const metadata = { project: 'apollo', reviewed_by: 'qa', 'build.id': '7' };
    expect(metadataNameChanged(metadata, 'dashed')).toBe(
      'Metadata name "reviewed_by": this store turns "_" into "-" in metadata names (it would keep "reviewed-by"); use "-".',
    );
    expect(metadataNameChanged({ a_b_c: '' }, 'dashed')).toMatch(/it would keep "a-b-c"/);
    expect(metadataNameChanged(metadata, 'kept')).toBeNull();
    expect(metadataNameChanged({ 'reviewed-by': 'qa' }, 'dashed')).toBeNull();
    expect(metadataNameChanged(undefined, 'dashed')).toBeNull();
  });
});

describe('propertiesProblem', () => {
  it('takes what S3 takes', () => {
    expect(
      propertiesProblem({
        contentType: 'text/html',
        cacheControl: 'no-cache',
        metadata: { 'project-id': '42', owner_name: 'Ann Lee' },
        tags: { 'cost centre': 'R&D'.replace('&', '+'), 'путь/к': 'ü:@=' },
      }),
    ).toBeNull();
    expect(propertiesProblem({})).toBeNull();
    // Names other tools write: any header-name character.
    expect(propertiesProblem({ metadata: { 'build.id': '7', 'x+y': '1' } })).toBeNull();
    // Parameters, as stored types often carry them.
    expect(propertiesProblem({ contentType: 'text/html; charset=UTF-8' })).toBeNull();
    expect(propertiesProblem({ contentType: 'multipart/mixed;boundary="a b"' })).toBeNull();
  });

  it('says what is wrong with each property', () => {
    expect(propertiesProblem({ contentType: 'html' })).toMatch(/not a content type/);
    expect(propertiesProblem({ contentType: 'text/html; charset' })).toMatch(/not a content type/);
    expect(propertiesProblem({ contentType: 'text/html\n' })).toMatch(/not a content type/);
    expect(propertiesProblem({ cacheControl: '' })).toMatch(/Cache-Control/);
    expect(propertiesProblem({ cacheControl: 'max-age=1\n' })).toMatch(/printable ASCII/);
    expect(propertiesProblem({ metadata: { Upper: 'x' } })).toBe(
      'Metadata name "Upper": S3 keeps names in lower case; send "upper".',
    );
    expect(propertiesProblem({ metadata: { 'two words': 'x' } })).toMatch(/no spaces/);
    expect(propertiesProblem({ metadata: { 'a:b': 'x' } })).toMatch(/must be ASCII letters, digits/);
    expect(propertiesProblem({ metadata: { note: 'é' } })).toMatch(
      /printable ASCII, or other letters encoded as RFC 2047/,
    );
    expect(propertiesProblem({ metadata: { note: '=?UTF-8?B?w6k=?=' } })).toBeNull();
    expect(propertiesProblem({ metadata: { note: 'a\r\nx-amz-acl: public-read' } })).toMatch(
      /one line of text/,
    );
    expect(propertiesProblem({ metadata: { big: 'x'.repeat(2046) } })).toMatch(/at most 2048/);
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, '']));
    expect(propertiesProblem({ tags: eleven })).toMatch(/at most 10/);
    expect(propertiesProblem({ tags: { '': 'x' } })).toMatch(/a key is 1 to 128/);
    expect(propertiesProblem({ tags: { a: 'x&y' } })).toMatch(/a value is up to 256/);
    expect(propertiesProblem({ tags: { a: 'x'.repeat(257) } })).toMatch(/a value is up to 256/);
    expect(propertiesProblem({ tags: { 'aws:created': 'me' } })).toBe(
      'Tag "aws:created": keys starting with "aws:" are reserved for AWS, and S3 refuses them.',
    );
    expect(propertiesProblem({ tags: { 'AWS:x': '' } })).toMatch(/reserved for AWS/);
    expect(propertiesProblem({ tags: { 'my-aws:x': '' } })).toBeNull();
  });
});

describe('propertyHeaders', () => {
  it('gives the headers a single PUT signs: cache-control, content-*, x-amz-meta-*, x-amz-tagging', () => {
    expect(
      propertyHeaders({
        cacheControl: 'max-age=60',
        contentDisposition: 'attachment; filename="a.txt"',
        contentEncoding: 'gzip',
        contentLanguage: 'de-AT',
        metadata: { a: '1' },
        tags: { team: 'data ops', x: '' },
      }),
    ).toEqual({
      'cache-control': 'max-age=60',
      'content-disposition': 'attachment; filename="a.txt"',
      'content-encoding': 'gzip',
      'content-language': 'de-AT',
      'x-amz-meta-a': '1',
      'x-amz-tagging': 'team=data%20ops&x=',
    });
    expect(propertyHeaders(undefined)).toEqual({});
    expect(propertyHeaders({ tags: {} })).toEqual({});
    expect(propertyHeaders({ storageClass: 'STANDARD_IA' })).toEqual({
      'x-amz-storage-class': 'STANDARD_IA',
    });
  });

  it('encodes tags as S3 reads x-amz-tagging (a query string)', () => {
    expect(new URLSearchParams(taggingHeader({ 'a b': 'c/d:e' })).get('a b')).toBe('c/d:e');
  });
});

describe('noProperties', () => {
  it('is true only when nothing is set', () => {
    expect(noProperties(undefined)).toBe(true);
    expect(noProperties({ metadata: {}, tags: {} })).toBe(true);
    expect(noProperties({ cacheControl: 'no-cache' })).toBe(false);
    expect(noProperties({ contentLanguage: 'en' })).toBe(false);
    expect(noProperties({ tags: { a: '' } })).toBe(false);
    expect(noProperties({ storageClass: 'GLACIER_IR' })).toBe(false);
  });
});
