import { createHmac, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './config.ts';
import { makeDirectory, makePrivate } from './local-s3/make-dir.ts';

/**
 * HOIST_SECRET, or one generated once and kept in the data directory. Several instances behind a
 * load balancer must share it: set HOIST_SECRET for them.
 */
export async function loadSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = join(dataDir, 'hoist-secret');
  // Another user's (made beforehand in a shared place): refused; ours, readable by others: made private.
  await makePrivate(dataDir, 0o700);
  await makePrivate(file, 0o600);
  const stored = await readStored(file);
  if (stored !== null) return stored;
  await makeDirectory(dataDir);
  const secret = randomBytes(32).toString('base64url');
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs, once written.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (await readStored(file)) ?? secret;
    }
    throw error;
  }
}

/**
 * The secret kept in `file`, or null when there is none yet. One shorter than HOIST_SECRET may be
 * (an edited or half-written file) stops the start: it would sign tokens and derive the store's keys.
 */
async function readStored(file: string): Promise<string | null> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (text.length >= 32) return text;
  throw new ConfigError(
    `Invalid configuration:\n  ${file} holds a secret of ${text.length} characters; it needs 32 or more (as HOIST_SECRET). Delete the file to have a new one made (unfinished uploads then start over), or set HOIST_SECRET.`,
  );
}

/**
 * The embedded store's keys when it listens beyond loopback (`npm start` and `npm run store`): derived
 * from HOIST_SECRET, so nobody can use the well-known development keys over the network
 * (S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY choose them).
 */
export function derivedStoreCredentials(secret: string): { accessKeyId: string; secretAccessKey: string } {
  const mac = (label: string) => createHmac('sha256', secret).update(`hoist-store\n${label}`).digest();
  return {
    accessKeyId: `HOIST${mac('id').toString('hex').slice(0, 15).toUpperCase()}`,
    secretAccessKey: mac('secret').toString('base64url'),
  };
}

/**
 * A short, one-way tag of the secret for logs: servers behind one load balancer must show the same,
 * and it says nothing of the secret itself.
 */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update('hoist-fingerprint').digest('hex').slice(0, 8);
}
