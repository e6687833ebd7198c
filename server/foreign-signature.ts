import { secretFingerprint } from './secret.ts';

/** What came in signed with a key this server does not have. */
export type SignedThing = 'upload token' | 'session cookie';

/** How often the same warning is logged at most: a page retrying would otherwise fill the log. */
export const FOREIGN_SIGNATURE_LOG_MS = 60_000;

/**
 * Logs that an upload token or a session cookie this server did not sign came in, at most once a
 * minute for each. Behind a load balancer that is instances with different HOIST_SECRETs (each one
 * generated its own), which the user only sees as uploads failing at Complete or sign-ins that do not
 * hold: the operator is told here, with this server's fingerprint to compare with the others' start
 * lines. It is also what a secret changed since, or a forged value, looks like: the line says so.
 */
export function foreignSignatureLog(
  secret: string,
  log: (line: string) => void,
  now: () => number = Date.now,
): (what: SignedThing) => void {
  const fingerprint = secretFingerprint(secret);
  const lastAt = new Map<SignedThing, number>();
  return (what) => {
    const at = now();
    if (at - (lastAt.get(what) ?? -Infinity) < FOREIGN_SIGNATURE_LOG_MS) return;
    lastAt.set(what, at);
    const signedWith = what === 'session cookie' ? 'HOIST_SECRET or HOIST_ACCESS_TOKEN' : 'HOIST_SECRET';
    log(
      `warning: a${what === 'upload token' ? 'n' : ''} ${what} this server did not sign came in: signed with another ${signedWith} (another Hoist server behind the same address, or the setting changed since) or altered. Every server behind one address needs the same HOIST_SECRET: this one's fingerprint is ${fingerprint}; compare it with the others' "secret:" start line. (Said at most once a minute.)`,
    );
  };
}
