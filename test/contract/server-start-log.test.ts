import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { freePort } from '../e2e/support/ports.ts';
import { childEnv } from '../e2e/support/child-env.ts';

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
      await expect.poll(() => output, { timeout: 30_000 }).toContain('Hoist is ready');
      const m =
        /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+) AWS_REGION=(\S+) aws --endpoint-url (\S+) s3 ls s3:\/\/(\S+)/.exec(
          output,
        );
      expect(m, output).not.toBeNull();
      const [, accessKeyId, secretAccessKey, region, endpoint, bucket] = m!;
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
