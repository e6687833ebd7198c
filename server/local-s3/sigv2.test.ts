import { describe, expect, it } from 'vitest';
import { canonicalizedResource, signatureV2, signedPaths, stringToSignV2 } from './sigv2.ts';

// Vectors: the S3 developer guide's query-string example, and one computed with botocore's HmacV1QueryAuth
// (Expires 1175139620, headers x-amz-meta-B: " two ", x-amz-meta-a: one, Content-Type: image/jpeg).
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const headers = (h: Record<string, string>) => new Map(Object.entries(h).map(([k, v]) => [k, [v]]));

describe('sigv2 query authentication', () => {
  it('signs the developer guide example (GET /johnsmith/photos/puppy.jpg)', () => {
    const toSign = stringToSignV2({
      method: 'GET',
      contentMd5: '',
      contentType: '',
      expires: '1175139620',
      headers: new Map(),
      resource: canonicalizedResource('/johnsmith/photos/puppy.jpg', [['foo', 'bar']]),
    });
    expect(toSign).toBe('GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg');
    expect(signatureV2(SECRET, toSign)).toBe('NpgCjnDzrM+WFzoENXmpNDUsSn8=');
  });

  it('keeps the encoded path, sorts sub-resources and x-amz headers, as botocore does', () => {
    const resource = canonicalizedResource('/johnsmith/photos/puppy%20dog.jpg', [
      ['uploadId', 'abc/d'],
      ['response-content-type', 'text/plain'],
      ['partNumber', '2'],
      ['foo', 'bar'],
      ['AWSAccessKeyId', 'AKIAIOSFODNN7EXAMPLE'],
    ]);
    expect(resource).toBe(
      '/johnsmith/photos/puppy%20dog.jpg?partNumber=2&response-content-type=text/plain&uploadId=abc/d',
    );
    const toSign = stringToSignV2({
      method: 'GET',
      contentMd5: '',
      contentType: 'image/jpeg',
      expires: '1175139620',
      headers: headers({ 'x-amz-meta-b': ' two ', 'x-amz-meta-a': 'one', 'content-type': 'image/jpeg' }),
      resource,
    });
    expect(toSign).toBe(
      'GET\n\nimage/jpeg\n1175139620\nx-amz-meta-a:one\nx-amz-meta-b:two\n' +
        '/johnsmith/photos/puppy%20dog.jpg?partNumber=2&response-content-type=text/plain&uploadId=abc/d',
    );
    expect(signatureV2(SECRET, toSign)).toBe('chLmj7cYx+U302UIZRvX0LlISwY=');
  });

  it('writes a valueless sub-resource by its name alone', () => {
    expect(
      canonicalizedResource('/b/k', [
        ['uploads', ''],
        ['acl', ''],
      ]),
    ).toBe('/b/k?acl&uploads');
  });

  it('takes a request to the bucket itself as signed over /bucket/ or /bucket', () => {
    expect(signedPaths('/hoist')).toEqual(['/hoist/', '/hoist']);
    expect(signedPaths('/hoist/')).toEqual(['/hoist/']);
    expect(signedPaths('/hoist/key')).toEqual(['/hoist/key']);
    expect(signedPaths('/')).toEqual(['/']);
  });
});
