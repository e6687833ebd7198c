/** The environment of `npm run store`, parsed once into a frozen config; a bad value names its variable. */
export interface StoreEnv {
  port: number;
  host: string;
  dataDir: string;
  region: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function parseStoreEnv(
  env: Record<string, string | undefined>,
  defaults: { accessKeyId: string; secretAccessKey: string },
): Readonly<StoreEnv> {
  const portText = env['STORE_PORT'] ?? '9000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new Error(
      `STORE_PORT must be a port number from 0 to 65535 (0: any free port), got ${JSON.stringify(portText)}`,
    );
  const accessKeyId = env['S3_ACCESS_KEY_ID'] ?? defaults.accessKeyId;
  const secretAccessKey = env['S3_SECRET_ACCESS_KEY'] ?? defaults.secretAccessKey;
  if ((env['S3_ACCESS_KEY_ID'] === undefined) !== (env['S3_SECRET_ACCESS_KEY'] === undefined))
    throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together');
  return Object.freeze({
    port,
    host: env['HOST'] ?? '127.0.0.1',
    dataDir: env['HOIST_DATA_DIR'] ?? './data',
    region: env['S3_REGION'] ?? 'us-east-1',
    bucket: env['S3_BUCKET'] ?? 'hoist',
    credentials: Object.freeze({ accessKeyId, secretAccessKey }),
  });
}
