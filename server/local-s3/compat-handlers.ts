import type { HandlerContext } from './handler-context.ts';
import { OWNER } from './bucket-handlers.ts';
import { S3Error, type S3ErrorCode } from './errors.ts';
import { readSmallBody } from './request-body.ts';
import { sendEmpty, sendXml } from './respond.ts';
import { header, type S3Request } from './s3-request.ts';
import { checkAclHeaders } from './write-headers.ts';
import type { XmlNode } from './xml.ts';

/**
 * Read-only answers tools probe for, true of a store without ACLs: Get{Bucket,Object}Acl (the owner has
 * FULL_CONTROL); Put{Bucket,Object}Acl as S3 answers them on a bucket with ACLs disabled. (Versioning:
 * versioning-handlers.ts.)
 */

const OWNER_FULL_CONTROL: XmlNode[] = [
  ['Owner', [...OWNER]],
  [
    'AccessControlList',
    [
      [
        'Grant',
        [
          ['Grantee', [...OWNER]],
          ['Permission', 'FULL_CONTROL'],
        ],
      ],
    ],
  ],
];

export function getBucketAcl(ctx: HandlerContext, request: S3Request, bucket: string): void {
  ctx.store.bucket(bucket);
  sendXml(request, 200, 'AccessControlPolicy', OWNER_FULL_CONTROL);
}

export function getObjectAcl(ctx: HandlerContext, request: S3Request, bucket: string, key: string): void {
  ctx.store.getVersion(bucket, key, request.q.get('versionId'));
  sendXml(request, 200, 'AccessControlPolicy', OWNER_FULL_CONTROL);
}

/** Bucket settings the store never has, by sub-resource: S3's "not configured" answer to reading each. */
const UNSET_SETTINGS = {
  tagging: ['NoSuchTagSet', 'The TagSet does not exist'],
  policy: ['NoSuchBucketPolicy', 'The bucket policy does not exist'],
  lifecycle: ['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'],
  // Not SSE-S3, AWS's answer for a bucket nobody configured: the store does not encrypt (MinIO answers so too).
  encryption: [
    'ServerSideEncryptionConfigurationNotFoundError',
    'The server side encryption configuration was not found',
  ],
  website: ['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'],
  replication: ['ReplicationConfigurationNotFoundError', 'The replication configuration was not found'],
  'object-lock': [
    'ObjectLockConfigurationNotFoundError',
    'Object Lock configuration does not exist for this bucket',
  ],
} as const satisfies Record<string, readonly [S3ErrorCode, string]>;

export type UnsetSetting = keyof typeof UNSET_SETTINGS;

export function unsetSettingOf(q: ReadonlyMap<string, string>): UnsetSetting | undefined {
  return (Object.keys(UNSET_SETTINGS) as UnsetSetting[]).find((name) => q.has(name));
}

/**
 * GetBucketTagging, GetBucketPolicy, GetBucketLifecycleConfiguration, GetBucketEncryption, GetBucketWebsite,
 * GetBucketReplication, GetObjectLockConfiguration: 404 with S3's code for "none set", which tools (Terraform,
 * scripts) take to mean exactly that; setting any of them stays 501.
 */
export function getUnsetSetting(ctx: HandlerContext, bucket: string, setting: UnsetSetting): never {
  ctx.store.bucket(bucket);
  const [code, message] = UNSET_SETTINGS[setting];
  throw new S3Error(code, message, { BucketName: bucket });
}

/** Delete{BucketTagging,BucketPolicy,BucketLifecycle,BucketEncryption,BucketWebsite,BucketReplication}: none set, 204. */
export function deleteUnsetSetting(ctx: HandlerContext, request: S3Request, bucket: string): void {
  ctx.store.bucket(bucket);
  sendEmpty(request, 204);
}

/**
 * GetBucketOwnershipControls and GetPublicAccessBlock answer what the store enforces, AWS's defaults for a new
 * bucket: ACLs disabled (BucketOwnerEnforced: checkAclHeaders refuses any that grants others access) and all
 * public access blocked (nothing is ever served without a signature). Changing or deleting them stays 501.
 */
export function getOwnershipControls(ctx: HandlerContext, request: S3Request, bucket: string): void {
  ctx.store.bucket(bucket);
  sendXml(request, 200, 'OwnershipControls', [['Rule', [['ObjectOwnership', 'BucketOwnerEnforced']]]]);
}

export function getPublicAccessBlock(ctx: HandlerContext, request: S3Request, bucket: string): void {
  ctx.store.bucket(bucket);
  sendXml(request, 200, 'PublicAccessBlockConfiguration', [
    ['BlockPublicAcls', true],
    ['IgnorePublicAcls', true],
    ['BlockPublicPolicy', true],
    ['RestrictPublicBuckets', true],
  ]);
}

/**
 * Put{Bucket,Object}Acl: a canned private or bucket-owner-full-control changes nothing (the owner alone has
 * access already) and is taken; any other ACL, as a header or an XML body, is refused with 400
 * AccessControlListNotSupported, as S3 refuses it on a bucket with ACLs disabled.
 */
export async function putAcl(
  ctx: HandlerContext,
  request: S3Request,
  bucket: string,
  key?: string,
): Promise<void> {
  ctx.store.bucket(bucket);
  if (key !== undefined) ctx.store.getVersion(bucket, key, request.q.get('versionId'));
  checkAclHeaders(request.headers);
  const body = await readSmallBody(request, 64 * 1024);
  if (body.length > 0 || header(request, 'x-amz-acl') === undefined)
    throw new S3Error('AccessControlListNotSupported');
  sendEmpty(request, 200);
}
