import { describe, expect, it } from 'vitest';
import { TokenError, signUploadToken, verifyUploadToken, type UploadClaims } from './upload-token.ts';

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
