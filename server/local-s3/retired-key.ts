import { S3Error } from './errors.ts';

/**
 * The access key every Hoist store took by default until 2026-12-06. It was published (in the README
 * and the code), so any web page on the machine could presign requests with it; since then a store
 * takes this install's own keys. A request signed with it is refused as any unknown key is, but
 * saying why: a script, an `aws` profile or a share link made before the upgrade then points at the
 * fix, not at a key S3 "does not have in its records". (The tests still give their stores this pair
 * on purpose: index.ts LOCAL_S3_TEST_CREDENTIALS.)
 */
export const RETIRED_ACCESS_KEY = 'HOISTLOCALACCESSKEY0';

const WHY =
  `${RETIRED_ACCESS_KEY} is the fixed key Hoist's embedded store took before 2026-12-06. It now takes ` +
  `this install's own keys: \`npm run store -- --keys\` prints them. Links shared before the upgrade ` +
  `were signed with the old key and must be shared again.`;

/** The S3 error for a request signed with a key this store does not take. */
export function unknownAccessKey(accessKeyId: string): S3Error {
  return new S3Error(
    'InvalidAccessKeyId',
    accessKeyId === RETIRED_ACCESS_KEY ? `The AWS Access Key Id you provided is retired: ${WHY}` : undefined,
    { AWSAccessKeyId: accessKeyId },
  );
}

/** Logs, at most once a minute, that requests came signed with the retired key (and what to do). */
export function retiredKeyLog(log: (line: string) => void, now: () => number): (error: S3Error) => void {
  let last = -Infinity;
  return (error) => {
    if (error.code !== 'InvalidAccessKeyId' || error.details['AWSAccessKeyId'] !== RETIRED_ACCESS_KEY) return;
    if (now() - last < 60_000) return;
    last = now();
    log(`refused a request signed with the retired access key: ${WHY}`);
  };
}

/** Said at start when a store is given the retired pair (S3_ACCESS_KEY_ID): it works, but everyone knows it. */
export function retiredKeyWarning(accessKeyId: string): string | null {
  return accessKeyId === RETIRED_ACCESS_KEY
    ? `warning: S3_ACCESS_KEY_ID is ${RETIRED_ACCESS_KEY}, the fixed key Hoist's store took before 2026-12-06, which is published: any web page on this machine can presign requests with it. Unset S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY to use this install's own keys.`
    : null;
}
