import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { CopiedObjects, DownloadLink, ObjectDetails } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { cliEnv } from './support/cli-env.ts';
import { getTarget, type S3Target } from './support/target.ts';

// Headers another tool wrote in UTF-8: botocore (the AWS CLI, boto3) sends "résumé" as its bytes and
// signs those; S3 and Ceph RGW keep them, and answer them so.
const run = promisify(execFile);
const AWS = ['/root/.pyenv/shims/aws', '/usr/bin/aws'].find((bin) => existsSync(bin));
const DISPOSITION = 'attachment; filename="résumé.pdf"';
const MiB = 1024 * 1024;

let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;
let work: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `foreign-headers-${randomUUID().slice(0, 8)}/`;
  // Objects over 6 MiB are copied part by part (5 MiB ranges), as objects over 5 GiB are for real.
  h = await apiOver(
    target,
    { HOIST_KEY_PREFIX: prefix },
    { copy: { singleLimit: 6 * MiB, partSize: 5 * MiB } },
  );
  work = await mkdtemp(join(tmpdir(), 'hoist-foreign-'));
});
afterAll(async () => {
  await target?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function putWithCli(key: string, size = 5) {
  const file = join(work, 'body.bin');
  await writeFile(file, Buffer.alloc(size, 'h'));
  await run(
    AWS!,
    [
      '--endpoint-url',
      target.endpoint,
      's3api',
      'put-object',
      '--bucket',
      target.bucket,
      '--key',
      key,
      '--body',
      file,
      '--content-disposition',
      DISPOSITION,
    ],
    { env: cliEnv(target, work) },
  );
}

/** The header's bytes as the store keeps them (the SDK hands them over one Latin-1 character a byte). */
async function storedDisposition(key: string) {
  const head = await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }));
  return Buffer.from(head.ContentDisposition ?? '', 'latin1').toString('utf8');
}

describe.runIf(AWS !== undefined)('an object whose Content-Disposition the AWS CLI wrote in UTF-8', () => {
  it('is shown and downloaded under its name as written, not as Latin-1', async () => {
    const key = `${prefix}shown.pdf`;
    await putWithCli(key);
    const details = (await (await h.api.objects.details.$post({ json: { key } })).json()) as ObjectDetails;
    expect(details.contentDisposition).toBe(DISPOSITION);
    const link = (await (await h.api.objects.download.$post({ json: { key } })).json()) as DownloadLink;
    expect(new URL(link.url).searchParams.get('response-content-disposition')).toContain(
      `filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
    );
  });

  // Each request that writes the header back (CopyObject, CreateMultipartUpload) failed on the
  // store's signature: the SDK signed the text's UTF-8 and Node sent it as Latin-1.
  for (const [label, size] of [
    ['in one copy', 5],
    ['part by part (over the copy limit)', 7 * MiB],
  ] as const) {
    it(`keeps it, byte for byte, through an edit of its other properties ${label}`, async () => {
      const key = `${prefix}edit-${size}.pdf`;
      await putWithCli(key, size);
      const details = (await (await h.api.objects.details.$post({ json: { key } })).json()) as ObjectDetails;
      // The form sends the stored header back as it was shown.
      const edited = await h.api.objects.properties.$post({
        json: {
          key,
          etag: details.etag,
          properties: { contentType: 'application/pdf', contentDisposition: DISPOSITION },
        },
      });
      expect(edited.status).toBe(200);
      const after = (await (await h.api.objects.details.$post({ json: { key } })).json()) as ObjectDetails;
      expect(after).toMatchObject({ contentType: 'application/pdf', contentDisposition: DISPOSITION });
      expect(await storedDisposition(key)).toBe(DISPOSITION);
    });
  }

  it('keeps it, byte for byte, through a move that copies part by part', async () => {
    const key = `${prefix}big/cv.pdf`;
    await putWithCli(key, 7 * MiB);
    const moved = await h.api.objects.copy.$post({
      json: { keys: [key], from: 'big/', base: 'big/', to: '/moved', move: true },
    });
    expect(moved.status).toBe(200);
    const answer = (await moved.json()) as CopiedObjects;
    expect(answer.failed).toEqual([]);
    expect(await storedDisposition(`${prefix}moved/cv.pdf`)).toBe(DISPOSITION);
  });
});
