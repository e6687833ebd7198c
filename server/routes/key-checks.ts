import type { Config } from '../config.ts';
import { fail } from '../errors.ts';
import { browserUnsafeSegment, isManagedKey } from '../uploads/object-key.ts';

/** How the object routes judge a key the page names: 400 with a stable code when the server may not touch it. */
export function keyChecks(config: Pick<Config, 'keyPrefix'>) {
  const checkKey = (key: string) => {
    if (!isManagedKey(config.keyPrefix, key)) {
      fail(400, 'invalid-key', `"${key}" is not an object this server manages.`);
    }
  };
  /**
   * Download, share and rename also need a key with no "." or ".." folder: browsers resolve those
   * away in every URL, and a store that did the same would read or move another key.
   */
  const checkPlainKey = (key: string) => {
    checkKey(key);
    const segment = browserUnsafeSegment(key);
    if (segment !== null) {
      fail(
        400,
        'dot-segment',
        `"${key}" has "${segment}" as a folder name, which browsers drop from every address, so Hoist cannot download, share or rename it. Use the AWS CLI (aws s3 cp or mv), or delete it from the list of objects in Hoist.`,
      );
    }
  };
  return { checkKey, checkPlainKey };
}
