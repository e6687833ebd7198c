import { describe, expect, it } from 'vitest';
import {
  canonicalQueryString,
  canonicalRequest,
  chunkStringToSign,
  credentialScope,
  parseAmzDate,
  sha256Hex,
  signature,
  signingKey,
  stringToSign,
  uriEncode,
} from './sigv4.ts';

// The examples of the S3 API reference, "Signature Calculations for the Authorization Header" and
// "Authenticating Requests: Using Query Parameters" / "Signature Calculation: Transfer Payload in Multiple Chunks".
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const key = signingKey(SECRET, '20130524', 'us-east-1');
const scope = credentialScope('20130524', 'us-east-1');
const headers = (h: Record<string, string>) => new Map(Object.entries(h).map(([k, v]) => [k, [v]]));

describe('sigv4', () => {
  it('encodes URIs as S3 does', () => {
    expect(uriEncode('/test$file.text', true)).toBe('/test%24file.text');
    expect(uriEncode('a b/ü~*', false)).toBe('a%20b%2F%C3%BC~%2A');
    expect(
      canonicalQueryString([
        ['prefix', 'somePrefix'],
        ['max-keys', '2'],
        ['acl', ''],
      ]),
    ).toBe('acl=&max-keys=2&prefix=somePrefix');
  });

  it('signs the GET Object example', () => {
    const creq = canonicalRequest({
      method: 'GET',
      path: '/test.txt',
      query: [],
      headers: headers({
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20130524T000000Z',
      }),
      signedHeaders: ['host', 'range', 'x-amz-content-sha256', 'x-amz-date'],
      payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
    expect(sha256Hex(creq)).toBe('7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
    expect(signature(key, stringToSign('20130524T000000Z', scope, creq))).toBe(
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('signs the PUT Object example', () => {
    const creq = canonicalRequest({
      method: 'PUT',
      path: '/test$file.text',
      query: [],
      headers: headers({
        date: 'Fri, 24 May 2013 00:00:00 GMT',
        host: 'examplebucket.s3.amazonaws.com',
        'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      }),
      signedHeaders: ['date', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-storage-class'],
      payloadHash: sha256Hex('Welcome to Amazon S3.'),
    });
    expect(signature(key, stringToSign('20130524T000000Z', scope, creq))).toBe(
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
  });

  it('signs the presigned GET example', () => {
    const creq = canonicalRequest({
      method: 'GET',
      path: '/test.txt',
      query: [
        ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
        ['X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request'],
        ['X-Amz-Date', '20130524T000000Z'],
        ['X-Amz-Expires', '86400'],
        ['X-Amz-SignedHeaders', 'host'],
      ],
      headers: headers({ host: 'examplebucket.s3.amazonaws.com' }),
      signedHeaders: ['host'],
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    expect(signature(key, stringToSign('20130524T000000Z', scope, creq))).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('signs the aws-chunked example: seed and chunk signatures', () => {
    const creq = canonicalRequest({
      method: 'PUT',
      path: '/examplebucket/chunkObject.txt',
      query: [],
      headers: headers({
        'content-encoding': 'aws-chunked',
        'content-length': '66824',
        host: 's3.amazonaws.com',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'x-amz-date': '20130524T000000Z',
        'x-amz-decoded-content-length': '66560',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      }),
      signedHeaders: [
        'content-encoding',
        'content-length',
        'host',
        'x-amz-content-sha256',
        'x-amz-date',
        'x-amz-decoded-content-length',
        'x-amz-storage-class',
      ],
      payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    });
    const seed = signature(key, stringToSign('20130524T000000Z', scope, creq));
    expect(seed).toBe('4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9');
    const first = signature(
      key,
      chunkStringToSign('20130524T000000Z', scope, seed, sha256Hex(Buffer.alloc(65536, 'a'))),
    );
    expect(first).toBe('ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648');
  });

  it('parses x-amz-date', () => {
    expect(parseAmzDate('20130524T000000Z')?.toISOString()).toBe('2013-05-24T00:00:00.000Z');
    expect(parseAmzDate('2013-05-24')).toBeUndefined();
  });
});
