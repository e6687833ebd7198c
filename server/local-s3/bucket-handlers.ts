import { corsConfigurationXml, parseCorsConfiguration } from './cors.ts';
import { S3Error } from './errors.ts';
import type { HandlerContext } from './handler-context.ts';
import { readSmallBody } from './request-body.ts';
import { sendEmpty, sendXml } from './respond.ts';
import type { S3Request } from './s3-request.ts';
import { checkBucketAclHeaders } from './write-headers.ts';
import { childText, parseXml, xmlTime } from './xml.ts';

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, Get/Put/DeleteBucketCors, GetBucketLocation. */

/** The one owner of every bucket and object: the ID ListBuckets, the ACLs and fetch-owner listings report. */
export const OWNER_ID = '0000000000000000000000000000000000000000000000000000000000000000';

export const OWNER = [
  ['ID', OWNER_ID],
  ['DisplayName', 'hoist'],
] as const;

export function listBuckets(ctx: HandlerContext, request: S3Request): void {
  sendXml(request, 200, 'ListAllMyBucketsResult', [
    ['Owner', [...OWNER]],
    [
      'Buckets',
      ctx.store.listBuckets().map(
        (b) =>
          [
            'Bucket',
            [
              ['Name', b.name],
              ['CreationDate', xmlTime(b.created)],
            ],
          ] as const,
      ),
    ],
  ]);
}

export async function createBucket(ctx: HandlerContext, request: S3Request, bucket: string): Promise<void> {
  checkBucketAclHeaders(request.headers);
  const body = await readSmallBody(request, 64 * 1024);
  if (body.length > 0) {
    const doc = parseXml(body.toString('utf8'));
    const location = childText(doc, 'LocationConstraint');
    if (location !== undefined && location !== '' && location !== ctx.region)
      throw new S3Error(
        'InvalidRequest',
        `The ${location} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      );
  }
  // AWS's legacy us-east-1 answer to creating a bucket you already own is 200; other regions say 409.
  if (!(ctx.region === 'us-east-1' && ctx.store.hasBucket(bucket)))
    await ctx.store.createBucket(bucket, { signal: request.signal });
  sendEmpty(request, 200, { Location: `/${bucket}` });
}

export function headBucket(ctx: HandlerContext, request: S3Request, bucket: string): void {
  ctx.store.bucket(bucket);
  sendEmpty(request, 200, { 'x-amz-bucket-region': ctx.region });
}

export async function deleteBucket(ctx: HandlerContext, request: S3Request, bucket: string): Promise<void> {
  await ctx.store.deleteBucket(bucket);
  sendEmpty(request, 204);
}

export function getBucketLocation(ctx: HandlerContext, request: S3Request, bucket: string): void {
  ctx.store.bucket(bucket);
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${ctx.region === 'us-east-1' ? '' : ctx.region}</LocationConstraint>`;
  request.res.writeHead(200, {
    'x-amz-request-id': request.id,
    ...request.cors,
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  });
  request.res.end(body);
}

export async function putBucketCors(ctx: HandlerContext, request: S3Request, bucket: string): Promise<void> {
  ctx.store.bucket(bucket);
  const rules = parseCorsConfiguration(parseXml((await readSmallBody(request, 64 * 1024)).toString('utf8')));
  await ctx.store.setCors(bucket, rules, { signal: request.signal });
  sendEmpty(request, 200);
}

export function getBucketCors(ctx: HandlerContext, request: S3Request, bucket: string): void {
  const rules = ctx.store.bucket(bucket).record.cors;
  if (!rules) throw new S3Error('NoSuchCORSConfiguration', undefined, { BucketName: bucket });
  sendXml(request, 200, 'CORSConfiguration', corsConfigurationXml(rules));
}

export async function deleteBucketCors(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  await ctx.store.setCors(bucket, undefined, { signal: request.signal });
  sendEmpty(request, 204);
}
