import { ConfigError, readSettings, storeSettings } from '../config.ts';

/** The environment of `npm run store`, parsed once into a frozen config; a bad value names its variable. */
export interface StoreEnv {
  port: number;
  host: string;
  dataDir: string;
  region: string;
  bucket: string;
  /** S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY; null when not set (main.ts then derives this install's own). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** HOIST_SECRET, from which this install's keys are derived. */
  secret: string | undefined;
}

/** A bad value in the environment of `npm run store`: its message names the variable. */
export class StoreEnvError extends Error {
  override name = 'StoreEnvError';
}

/** The same variables, defaults and checks as `npm start` (config.ts `storeSettings`). */
export function parseStoreEnv(env: Record<string, string | undefined>): Readonly<StoreEnv> {
  let e;
  try {
    e = readSettings(storeSettings, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new StoreEnvError(error.message);
    throw error;
  }
  if ((e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined))
    throw new StoreEnvError(
      'Invalid configuration:\n  S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together',
    );
  return Object.freeze({
    port: e.STORE_PORT,
    host: e.HOST,
    dataDir: e.HOIST_DATA_DIR,
    region: e.S3_REGION,
    bucket: e.S3_BUCKET,
    credentials:
      e.S3_ACCESS_KEY_ID !== undefined && e.S3_SECRET_ACCESS_KEY !== undefined
        ? Object.freeze({ accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY })
        : null,
    secret: e.HOIST_SECRET,
  });
}
