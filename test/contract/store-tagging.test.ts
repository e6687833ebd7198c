import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf } from './support/error-of.ts';
import { getTarget, targetKind, type S3Target } from './support/target.ts';

// Object tags as S3 keeps them: with the object (x-amz-tagging on PutObject and CreateMultipartUpload),
// Put/Get/DeleteObjectTagging, x-amz-tagging-count on GET/HEAD, CopyObject's x-amz-tagging-directive.

let target: S3Target;
beforeAll(async () => {
  target = await getTarget();
});
afterAll(async () => {
  await target?.close();
});

async function tagsOf(key: string) {
  const { TagSet } = await target.client.send(
    new GetObjectTaggingCommand({ Bucket: target.bucket, Key: key }),
  );
  return Object.fromEntries((TagSet ?? []).map((t) => [t.Key, t.Value]));
}

const tagCount = async (key: string) =>
  (await target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key }))).TagCount;

describe('object tags', () => {
  it('keeps x-amz-tagging of PutObject, counts it on HEAD and GET, replaces and deletes it', async () => {
    const { client, bucket } = target;
    const key = 'tags/put.txt';
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'tagged', Tagging: 'a=1&b=two%20words' }),
    );
    expect(await tagsOf(key)).toEqual({ a: '1', b: 'two words' });
    expect(await tagCount(key)).toBe(2);
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(got.TagCount).toBe(2);
    await got.Body!.transformToString();

    await client.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: key,
        Tagging: { TagSet: [{ Key: 'only', Value: 'one' }] },
      }),
    );
    expect(await tagsOf(key)).toEqual({ only: 'one' });
    expect(await tagCount(key)).toBe(1);

    await client.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: key }));
    expect(await tagsOf(key)).toEqual({});
    expect(await tagCount(key)).toBeUndefined();
    const body = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await body.Body!.transformToString()).toBe('tagged');
  });

  it('gives a multipart upload’s x-amz-tagging to the completed object (RGW 16 drops it)', async () => {
    const { client, bucket } = target;
    const key = 'tags/multipart.bin';
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Tagging: 'stage=raw' }),
    );
    const part = await client.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: 'one part' }),
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag! }] },
      }),
    );
    // RGW 16 drops the tags of a multipart upload.
    expect(await tagsOf(key)).toEqual(target.kind === 'rgw' ? {} : { stage: 'raw' });
    expect(await tagCount(key)).toBe(target.kind === 'rgw' ? 0 : 1); // RGW: x-amz-tagging-count: 0
  });

  it('copies tags by default (COPY) and takes the request’s with REPLACE (RGW 16 always copies)', async () => {
    const { client, bucket } = target;
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'tags/src.txt', Body: 'src', Tagging: 'from=source' }),
    );
    const source = `${bucket}/tags/src.txt`;
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: 'tags/copy.txt', CopySource: source }));
    expect(await tagsOf('tags/copy.txt')).toEqual({ from: 'source' });
    await client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'tags/replaced.txt',
        CopySource: source,
        TaggingDirective: 'REPLACE',
        Tagging: 'from=request&x=y',
      }),
    );
    // RGW 16 ignores x-amz-tagging-directive and always copies the source's tags.
    expect(await tagsOf('tags/replaced.txt')).toEqual(
      target.kind === 'rgw' ? { from: 'source' } : { from: 'request', x: 'y' },
    );
    await client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'tags/untagged.txt',
        CopySource: source,
        TaggingDirective: 'REPLACE',
      }),
    );
    expect(await tagsOf('tags/untagged.txt')).toEqual(target.kind === 'rgw' ? { from: 'source' } : {});
  });

  it('refuses more than 10 tags, long keys or values, an "aws:" key and repeated keys with 400 InvalidTag (RGW 16 differs)', async () => {
    const { client, bucket } = target;
    const key = 'tags/limits.txt';
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    const eleven = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    const refused = [
      () =>
        client.send(new PutObjectCommand({ Bucket: bucket, Key: `${key}.2`, Body: 'x', Tagging: eleven })),
      () =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `${key}.2`,
            Body: 'x',
            Tagging: `${'k'.repeat(129)}=v`,
          }),
        ),
      () =>
        client.send(
          new PutObjectTaggingCommand({
            Bucket: bucket,
            Key: key,
            Tagging: { TagSet: [{ Key: 'k', Value: 'v'.repeat(257) }] },
          }),
        ),
      () =>
        client.send(
          new PutObjectTaggingCommand({
            Bucket: bucket,
            Key: key,
            Tagging: {
              TagSet: [
                { Key: 'k', Value: '1' },
                { Key: 'k', Value: '2' },
              ],
            },
          }),
        ),
      () =>
        client.send(
          new PutObjectCommand({ Bucket: bucket, Key: `${key}.aws`, Body: 'x', Tagging: 'aws:created=me' }),
        ),
    ];
    const answers = [];
    for (const attempt of refused) {
      const e = await attempt().then(
        () => undefined,
        (error: { name: string; $metadata: { httpStatusCode?: number } }) => error,
      );
      answers.push(e ? [e.$metadata.httpStatusCode, e.name] : 'accepted');
    }
    // RGW 16 answers InvalidArgument for a bad x-amz-tagging, keeps a repeated key's last value and takes an
    // "aws:" key.
    expect(answers).toEqual(
      target.kind === 'rgw'
        ? [[400, 'InvalidArgument'], [400, 'InvalidArgument'], [400, 'InvalidTag'], 'accepted', 'accepted']
        : [
            [400, 'InvalidTag'],
            [400, 'InvalidTag'],
            [400, 'InvalidTag'],
            [400, 'InvalidTag'],
            [400, 'InvalidTag'],
          ],
    );
    expect(await tagsOf(key)).toEqual(target.kind === 'rgw' ? { k: '2' } : {});
    const ten = Array.from({ length: 10 }, (_, i) => ({ Key: `k${i}`, Value: 'v'.repeat(256) }));
    ten[0] = { Key: 'k'.repeat(128), Value: '' };
    await client.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: ten } }));
    expect(await tagCount(key)).toBe(10);
  });

  it('answers NoSuchKey for the tags of a missing object', async () => {
    const e = await errorOf(
      target.client.send(new GetObjectTaggingCommand({ Bucket: target.bucket, Key: 'tags/missing' })),
    );
    expect([e.$metadata.httpStatusCode, e.name]).toEqual([404, 'NoSuchKey']);
  });

  it.runIf(targetKind() === 'embedded')(
    'keeps tags across a restart (embedded store only: written durably with the record)',
    async () => {
      const { client, bucket } = target;
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'tags/restart.txt', Body: 'r', Tagging: 'p=1' }),
      );
      await client.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: 'tags/restart.txt',
          Tagging: { TagSet: [{ Key: 'after', Value: 'put' }] },
        }),
      );
      await target.restart!();
      expect(await tagsOf('tags/restart.txt')).toEqual({ after: 'put' });
    },
  );
});
