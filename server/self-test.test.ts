import { describe, expect, it } from 'vitest';
import { REQUIRED_CORS, corsProblem } from './self-test.ts';
import { contentDisposition } from './s3/s3-gateway.ts';

describe('corsProblem', () => {
  const origin = 'http://127.0.0.1:8080';
  it('accepts the rules Hoist puts on the embedded store', () => {
    expect(corsProblem(REQUIRED_CORS, [origin])).toBeNull();
  });
  it('explains a missing configuration, a missing origin and a hidden ETag', () => {
    expect(corsProblem(null, [origin])).toMatch(/no CORS configuration/);
    expect(
      corsProblem([{ AllowedOrigins: ['https://other'], AllowedMethods: ['GET', 'PUT'] }], [origin]),
    ).toMatch(/does not allow PUT and GET from http:\/\/127\.0\.0\.1:8080/);
    expect(
      corsProblem(
        [{ AllowedOrigins: [origin], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'] }],
        [origin],
      ),
    ).toMatch(/ETag/);
  });
  it('asks for every header a part or single PUT is signed with, if-none-match included', () => {
    const rule = (AllowedHeaders: string[]) => [
      { AllowedOrigins: [origin], AllowedMethods: ['GET', 'PUT'], AllowedHeaders, ExposeHeaders: ['ETag'] },
    ];
    expect(corsProblem(rule(['content-type', 'content-md5', 'x-amz-checksum-crc32']), [origin])).toMatch(
      /if-none-match/,
    );
    expect(
      corsProblem(rule(['content-type', 'content-md5', 'x-amz-checksum-crc32', 'if-none-match']), [origin]),
    ).toBeNull();
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and an RFC 5987 filename* for unicode names', () => {
    expect(contentDisposition('Résumé "final".pdf')).toBe(
      `attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
    expect(contentDisposition("it's (1).txt")).toBe(
      `attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`,
    );
  });
});
