import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { freePort } from '../e2e/support/ports.ts';
import { derivedStoreCredentials, secretFingerprint } from '../../server/secret.ts';
import { LOCAL_S3_TEST_CREDENTIALS } from '../../server/local-s3/index.ts';
import { childEnv, PROCESS_START_TIMEOUT_MS } from '../e2e/support/child-env.ts';

// With no configuration `npm start` runs the embedded store: its log says how other S3 tools (the
// AWS CLI, boto3) reach the same bucket, and what it says works.
describe('npm start’s log with the embedded store', () => {
  it('gives the keys and endpoint other S3 tools use, and they work', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hoist-startlog-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: childEnv({
        PORT: String(await freePort()),
        STORE_PORT: String(await freePort()),
        HOIST_DATA_DIR: dataDir,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await expect.poll(() => output, { timeout: PROCESS_START_TIMEOUT_MS }).toContain('Hoist is ready');
      // Where the secret came from, and its fingerprint to compare across instances behind one address.
      const secret = (await readFile(join(dataDir, 'hoist-secret'), 'utf8')).trim();
      expect(output).toContain(
        `[hoist] secret: kept in ${join(dataDir, 'hoist-secret')} (made by this install; HOIST_SECRET is not set) · fingerprint ${secretFingerprint(secret)}; every Hoist server behind one address needs the same HOIST_SECRET`,
      );
      // What the limits were taken as.
      expect(output).toContain(
        '[hoist] uploads: files of up to 5.0 TB (HOIST_MAX_OBJECT_SIZE), links valid 15 min (HOIST_PRESIGN_TTL), storage classes STANDARD, INTELLIGENT_TIERING',
      );
      const m =
        /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+) AWS_REGION=(\S+) aws --endpoint-url (\S+) s3 ls s3:\/\/(\S+)/.exec(
          output,
        );
      expect(m, output).not.toBeNull();
      const [, accessKeyId, secretAccessKey, region, endpoint, bucket] = m!;
      // This install's own keys, not fixed ones a web page could presign with.
      expect(accessKeyId).not.toBe(LOCAL_S3_TEST_CREDENTIALS.accessKeyId);
      expect(secretAccessKey).not.toBe(LOCAL_S3_TEST_CREDENTIALS.secretAccessKey);
      expect({ accessKeyId, secretAccessKey }).toEqual(derivedStoreCredentials(secret));
      const s3 = new S3Client({
        endpoint,
        region,
        credentials: { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! },
        forcePathStyle: true,
      });
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-the-log.txt', Body: 'hello' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'from-the-log.txt' }));
      expect(await got.Body!.transformToString()).toBe('hello');
      s3.destroy();
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** Starts `npm start`'s process with `env` and waits for it to exit: its code and everything it said. */
async function startUntilExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_START_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

// A bad setting stops the start with a message that names what to set: never an SDK stack trace.
describe('npm start with a setting it cannot work with', () => {
  it('says where credentials come from when an S3_ENDPOINT has none anywhere, and exits 1', async () => {
    const home = await mkdtemp(join(tmpdir(), 'hoist-nocreds-'));
    // Nothing in the AWS default chain either: no keys, no profile or ~/.aws, no instance role.
    const env = childEnv({
      PORT: String(await freePort()),
      HOIST_DATA_DIR: join(home, 'data'),
      S3_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
      S3_BUCKET: 'photos',
      HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'none', 'credentials'),
      AWS_CONFIG_FILE: join(home, 'none', 'config'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    for (const name of Object.keys(env))
      if (/^AWS_(PROFILE|DEFAULT_PROFILE|SESSION_TOKEN|CONTAINER_|WEB_IDENTITY|ROLE_)/.test(name))
        delete env[name];
    try {
      const { code, output } = await startUntilExit(env);
      expect(code).toBe(1);
      expect(output).toContain(
        'Cannot sign for the store: no credentials for the store (Could not load credentials from any providers): set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or give the AWS SDK',
      );
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('Hoist failed to start');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('says a data directory that cannot be made (under /proc) is one to change, and exits 1 rather than hang', async () => {
    const { code, output } = await startUntilExit(
      childEnv({
        PORT: String(await freePort()),
        STORE_PORT: String(await freePort()),
        HOIST_DATA_DIR: '/proc/hoist-nope',
      }),
    );
    expect(code).toBe(1);
    expect(output).toContain(
      'Cannot use the data directory /proc/hoist-nope (ENOENT): set HOIST_DATA_DIR to a folder Hoist may write.',
    );
  });

  it('refuses an S3_ENDPOINT with a path, saying the bucket goes in S3_BUCKET, and exits 1', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hoist-endpoint-path-'));
    const { code, output } = await startUntilExit(
      childEnv({
        PORT: String(await freePort()),
        HOIST_DATA_DIR: dataDir,
        S3_ENDPOINT: 'http://127.0.0.1:7491/cfg2',
        S3_BUCKET: 'cfg2',
        S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        S3_SECRET_ACCESS_KEY: 'secret',
      }),
    );
    await rm(dataDir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      'Invalid configuration:\n  S3_ENDPOINT: no path after the host ("/cfg2"): the bucket goes in S3_BUCKET',
    );
  });
});
