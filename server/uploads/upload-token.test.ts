import { describe, expect, it } from 'vitest';
import {
  MAX_TOKEN_CHARS,
  TokenError,
  signUploadToken,
  verifyUploadToken,
  type UploadClaims,
} from './upload-token.ts';
import { MAX_METADATA_BYTES, MAX_TAGS } from '../shared/object-properties.ts';

const secret = 'a'.repeat(43);
const claims: UploadClaims = {
  key: 'uploads/ü.bin',
  uploadId: 'abc',
  size: 123,
  partSize: 8,
  checksumAlgorithm: 'CRC32',
  contentType: 'application/octet-stream',
  expiresAt: 2_000,
};

function problem(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenError) return error.problem;
    throw error;
  }
  return 'none';
}

describe('upload token', () => {
  it('fits the routes with the longest key, upload id and properties allowed', () => {
    const wide = (n: number) => '語'.repeat(n); // 3 bytes in UTF-8 a character
    const claims: UploadClaims = {
      key: wide(341),
      uploadId: 'u'.repeat(1024),
      size: 5 * 1024 ** 4,
      partSize: 525 * 1024 ** 2,
      checksumAlgorithm: 'CRC32',
      contentType: 'c'.repeat(255),
      expiresAt: Date.now() + 60_000,
      properties: {
        cacheControl: 'c'.repeat(256),
        metadata: { m: 'x'.repeat(MAX_METADATA_BYTES - 1) },
        tags: Object.fromEntries(
          Array.from({ length: MAX_TAGS }, (_, i) => [wide(127) + String(i), wide(256)]),
        ),
      },
    };
    const token = signUploadToken(claims, 'secret');
    expect(token.length).toBeGreaterThan(4096); // the limit that failed such uploads after their create
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_CHARS);
    expect(verifyUploadToken(token, 'secret')).toEqual(claims);
  });

  it('round-trips its claims', () => {
    expect(verifyUploadToken(signUploadToken(claims, secret), secret, 1_000)).toEqual(claims);
    const withProperties: UploadClaims = {
      ...claims,
      properties: { cacheControl: 'max-age=60', metadata: { project: 'apollo' }, tags: { team: 'data' } },
    };
    expect(verifyUploadToken(signUploadToken(withProperties, secret), secret, 1_000)).toEqual(withProperties);
  });

  it('refuses a token signed with another secret', () => {
    expect(problem(() => verifyUploadToken(signUploadToken(claims, 'b'.repeat(43)), secret, 1_000))).toBe(
      'bad-signature',
    );
  });

  it('refuses a token whose claims were changed (a bigger size)', () => {
    const [, sig] = signUploadToken(claims, secret).split('.');
    const forged = Buffer.from(
      JSON.stringify([1, claims.key, 'abc', 999_999, 8, 'CRC32', claims.contentType, 2_000]),
    ).toString('base64url');
    expect(problem(() => verifyUploadToken(`${forged}.${sig}`, secret, 1_000))).toBe('bad-signature');
  });

  it('refuses an expired token, with its (genuine) claims for a check of activity', () => {
    expect(problem(() => verifyUploadToken(signUploadToken(claims, secret), secret, 2_000))).toBe('expired');
    try {
      verifyUploadToken(signUploadToken(claims, secret), secret, 2_000);
    } catch (error) {
      expect((error as TokenError).expiredClaims).toEqual(claims);
    }
    expect.assertions(2);
  });

  it.each(['', 'x', 'a.b.c', '.sig', 'e30.'])('refuses the malformed token %j', (t) => {
    expect(['malformed', 'bad-signature']).toContain(problem(() => verifyUploadToken(t, secret, 0)));
  });
});
