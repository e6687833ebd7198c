import { describe, expect, it } from 'vitest';
import { FOREIGN_SIGNATURE_LOG_MS, foreignSignatureLog } from './foreign-signature.ts';
import { secretFingerprint } from './secret.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

describe('foreignSignatureLog', () => {
  it("says what came in, that servers behind one address need the same HOIST_SECRET, and this one's fingerprint", () => {
    const lines: string[] = [];
    foreignSignatureLog(
      SECRET,
      (l) => lines.push(l),
      () => 0,
    )('upload token');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^warning: an upload token this server did not sign came in: signed with another HOIST_SECRET /,
    );
    expect(lines[0]).toContain(`this one's fingerprint is ${secretFingerprint(SECRET)}`);
  });

  it('names the access token too for a session cookie (changing it ends every session)', () => {
    const lines: string[] = [];
    foreignSignatureLog(
      SECRET,
      (l) => lines.push(l),
      () => 0,
    )('session cookie');
    expect(lines[0]).toMatch(
      /^warning: a session cookie this server did not sign came in: signed with another HOIST_SECRET or HOIST_ACCESS_TOKEN/,
    );
  });

  it('says it at most once a minute for each kind', () => {
    let t = 0;
    const lines: string[] = [];
    const said = foreignSignatureLog(
      SECRET,
      (l) => lines.push(l),
      () => t,
    );
    said('upload token');
    said('upload token');
    said('session cookie');
    t = FOREIGN_SIGNATURE_LOG_MS - 1;
    said('upload token');
    expect(lines).toHaveLength(2);
    t = FOREIGN_SIGNATURE_LOG_MS;
    said('upload token');
    expect(lines).toHaveLength(3);
  });
});

describe('secretFingerprint', () => {
  it('is short, the same for the same secret, different for another, and not the secret', () => {
    const fp = secretFingerprint(SECRET);
    expect(fp).toMatch(/^[0-9a-f]{8}$/);
    expect(secretFingerprint(SECRET)).toBe(fp);
    expect(secretFingerprint(`${SECRET}x`)).not.toBe(fp);
    expect(SECRET).not.toContain(fp);
  });
});
