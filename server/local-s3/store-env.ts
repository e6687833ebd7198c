/** The environment of `npm run store`, parsed once into a frozen config; a bad value names its variable. */
export interface StoreEnv {
  port: number;
  host: string;
  dataDir: string;
  region: string;
  bucket: string;
  /** S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY; null when not set (main.ts then picks the development keys, or derived ones). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** HOIST_SECRET, from which the keys of a store reachable beyond this machine are derived. */
  secret: string | undefined;
}

/** A bad value in the environment of `npm run store`: its message names the variable. */
export class StoreEnvError extends Error {
  override name = 'StoreEnvError';
}

export function parseStoreEnv(env: Record<string, string | undefined>): Readonly<StoreEnv> {
  const portText = env['STORE_PORT'] ?? '9000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new StoreEnvError(
      `STORE_PORT must be a port number from 0 to 65535 (0: any free port), got ${JSON.stringify(portText)}`,
    );
  const accessKeyId = env['S3_ACCESS_KEY_ID'];
  const secretAccessKey = env['S3_SECRET_ACCESS_KEY'];
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
    throw new StoreEnvError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together');
  const secret = env['HOIST_SECRET'];
  if (secret !== undefined && secret.length < 32)
    throw new StoreEnvError('HOIST_SECRET must be at least 32 characters');
  return Object.freeze({
    port,
    host: (env['HOST'] ?? '127.0.0.1').replace(/^\[(.+)\]$/, '$1'),
    dataDir: env['HOIST_DATA_DIR'] ?? './data',
    region: env['S3_REGION'] ?? 'us-east-1',
    bucket: env['S3_BUCKET'] ?? 'hoist',
    credentials:
      accessKeyId !== undefined && secretAccessKey !== undefined
        ? Object.freeze({ accessKeyId, secretAccessKey })
        : null,
    secret,
  });
}
