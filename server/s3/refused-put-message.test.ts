import { describe, expect, it } from 'vitest';
import { refusedPutMessage } from './refused-put-message.ts';

const now = Date.parse('2026-12-06T12:00:00Z');
const xml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

describe('refusedPutMessage', () => {
  it("names the store's answer, and how far this server's clock is from the store's", () => {
    // An outside tester's Hoist under faketime, 2 h ahead: every part was refused so, while the
    // self-test said the store just did not check checksums.
    expect(
      refusedPutMessage(
        403,
        xml('AccessDenied', 'Request is not valid yet'),
        'Sun, 06 Dec 2026 10:00:00 GMT',
        now,
      ),
    ).toBe(
      "The store refused a test upload with a presigned link (HTTP 403, AccessDenied: Request is not valid yet), as it would the page's parts. This server's clock is 120 min ahead of the store's (its Date header), and links are dated by it: set both clocks right (NTP).",
    );
    expect(refusedPutMessage(403, '', 'Sun, 06 Dec 2026 12:20:00 GMT', now)).toContain(
      "(HTTP 403), as it would the page's parts. This server's clock is 20 min behind the store's",
    );
  });

  it('says a signature refused through S3_PUBLIC_ENDPOINT is likely its proxy rewriting the Host header', () => {
    const body = '<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>';
    expect(refusedPutMessage(403, body, null, 0, 'http://127.0.0.1:8088')).toBe(
      "The store refused a test upload with a presigned link (HTTP 403, SignatureDoesNotMatch: m), as it would the page's parts. The link went through http://127.0.0.1:8088 (S3_PUBLIC_ENDPOINT): a proxy there must pass the Host header on as browsers sent it (nginx: proxy_set_header Host $http_host;), and every x-amz-* header (nginx: underscores_in_headers on;).",
    );
    // Straight to the store, the proxy is no suspect.
    expect(refusedPutMessage(403, body, null, 0)).not.toContain('S3_PUBLIC_ENDPOINT');
  });

  it('says nothing of clocks a minute or less apart, or with no Date to go by', () => {
    const full = xml('InsufficientStorage', 'The store has no space left.');
    expect(refusedPutMessage(507, full, 'Sun, 06 Dec 2026 12:00:40 GMT', now)).toBe(
      "The store refused a test upload with a presigned link (HTTP 507, InsufficientStorage: The store has no space left.), as it would the page's parts.",
    );
    expect(refusedPutMessage(500, 'oops', null, now)).toBe(
      "The store refused a test upload with a presigned link (HTTP 500), as it would the page's parts.",
    );
    expect(refusedPutMessage(503, '', 'not a date', now)).not.toContain('clock');
  });
});
