import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadLink, ObjectDetails } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { cliEnv } from './support/cli-env.ts';
import { getTarget, type S3Target } from './support/target.ts';

// Headers another tool wrote in UTF-8: botocore (the AWS CLI, boto3) sends "résumé" as its bytes and
// signs those; S3 and Ceph RGW keep them, and answer them so.
const run = promisify(execFile);
const AWS = ['/root/.pyenv/shims/aws', '/usr/bin/aws'].find((bin) => existsSync(bin));
const DISPOSITION = 'attachment; filename="résumé.pdf"';

let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;
let work: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `foreign-headers-${randomUUID().slice(0, 8)}/`;
  h = await apiOver(target, { HOIST_KEY_PREFIX: prefix });
  work = await mkdtemp(join(tmpdir(), 'hoist-foreign-'));
});
afterAll(async () => {
  await target?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function putWithCli(key: string) {
  const file = join(work, 'body.txt');
  await writeFile(file, 'hello');
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

describe.runIf(AWS !== undefined)('an object whose Content-Disposition the AWS CLI wrote in UTF-8', () => {
  it('is shown and downloaded under its name as written, not as Latin-1; an edit that would write it back says how to write it instead', async () => {
    const key = `${prefix}cv.pdf`;
    await putWithCli(key);
    const details = (await (await h.api.objects.details.$post({ json: { key } })).json()) as ObjectDetails;
    expect(details.contentDisposition).toBe(DISPOSITION);
    const link = (await (await h.api.objects.download.$post({ json: { key } })).json()) as DownloadLink;
    expect(new URL(link.url).searchParams.get('response-content-disposition')).toContain(
      `filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
    );

    // The form sends the stored header back as it was shown: a store's signature error was all it got.
    const kept = await h.api.objects.properties.$post({
      json: {
        key,
        etag: details.etag,
        properties: { contentType: 'application/pdf', contentDisposition: DISPOSITION },
      },
    });
    expect(kept.status).toBe(400);
    const refused = (await kept.json()) as unknown as { error: { code: string; message: string } };
    expect(refused.error.code).toBe('invalid-properties');
    expect(refused.error.message).toContain(`filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`);

    const encoded = `attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`;
    const fixed = await h.api.objects.properties.$post({
      json: {
        key,
        etag: details.etag,
        properties: { contentType: 'application/pdf', contentDisposition: encoded },
      },
    });
    expect(fixed.status).toBe(200);
    const after = (await (await h.api.objects.details.$post({ json: { key } })).json()) as ObjectDetails;
    expect(after).toMatchObject({ contentType: 'application/pdf', contentDisposition: encoded });
  });
});
