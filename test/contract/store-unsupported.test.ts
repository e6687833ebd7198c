import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from './support/error-of.ts';
import { getTarget, type S3Target } from './support/target.ts';

// What the embedded store does not do answers so, with a message, instead of a misleading 403 or a silent 200.
// Ceph RGW 16 implements these; each test asserts RGW's own answer.

const run = promisify(execFile);
const PYTHON = '/root/.pyenv/shims/python3';

let target: S3Target;
beforeAll(async () => {
  target = await getTarget();
});
afterAll(async () => {
  await target?.close();
});

const PRESIGN_POST = `
import sys, json, boto3
endpoint, bucket, key = sys.argv[1:4]
s3 = boto3.client('s3', endpoint_url=endpoint)
print(json.dumps(s3.generate_presigned_post(bucket, key, ExpiresIn=300)))
`;

describe('browser form uploads (POST Object)', () => {
  it.runIf(existsSync(PYTHON))(
    'answer 501 NotImplemented with a clear message (RGW: 204 and the object is stored)',
    async () => {
      const key = 'unsupported/form.txt';
      const { stdout } = await run(PYTHON, ['-c', PRESIGN_POST, target.endpoint, target.bucket, key], {
        env: {
          PATH: process.env['PATH'],
          HOME: '/nonexistent',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
          AWS_DEFAULT_REGION: target.region,
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      });
      const post = JSON.parse(stdout) as { url: string; fields: Record<string, string> };
      const form = new FormData();
      for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
      form.append('file', new Blob(['from a form']), 'form.txt');
      const res = await fetch(post.url, { method: 'POST', body: form });
      const text = await res.text();
      if (target.kind === 'rgw') {
        expect(res.status).toBe(204);
        const head = await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }));
        expect(head.ContentLength).toBe('from a form'.length);
        return;
      }
      expect(res.status).toBe(501);
      expect(text).toContain('<Code>NotImplemented</Code>');
      expect(text).toContain('Browser form uploads (POST Object) are not supported by the local store');
      const missing = await errorOf(
        target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key })),
      );
      expect(missing.$metadata.httpStatusCode).toBe(404);
    },
  );
});
