/** The one error type of the store: an S3 error code, its HTTP status and an S3-style message. */
const STATUS = {
  AccessControlListNotSupported: 400,
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  InternalError: 500,
  /** The data dir's disk (or quota) is full: 507 as MinIO's XMinioStorageFull and WebDAV answer it. */
  InsufficientStorage: 507,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketAclWithObjectOwnership: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidPart: 400,
  InvalidPartNumber: 416,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidStorageClass: 400,
  InvalidTag: 400,
  IllegalVersioningConfigurationException: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  MetadataTooLarge: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchBucketPolicy: 404,
  NoSuchCORSConfiguration: 404,
  NoSuchKey: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchTagSet: 404,
  NoSuchUpload: 404,
  NoSuchVersion: 404,
  NoSuchWebsiteConfiguration: 404,
  NotImplemented: 501,
  NotModified: 304,
  ObjectLockConfigurationNotFoundError: 404,
  PreconditionFailed: 412,
  ReplicationConfigurationNotFoundError: 404,
  RequestTimeTooSkewed: 403,
  ServerSideEncryptionConfigurationNotFoundError: 404,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
  CORSForbidden: 403,
  BadRequest: 400,
} as const satisfies Record<string, number>;

export type S3ErrorCode = keyof typeof STATUS;

const DEFAULT_MESSAGE: Partial<Record<S3ErrorCode, string>> = {
  AccessControlListNotSupported: 'The bucket does not allow ACLs',
  AccessDenied: 'Access Denied',
  BadDigest: 'The Content-MD5 you specified did not match what we received.',
  BucketAlreadyOwnedByYou:
    'Your previous request to create the named bucket succeeded and you already own it.',
  BucketNotEmpty: 'The bucket you tried to delete is not empty',
  EntityTooSmall: 'Your proposed upload is smaller than the minimum allowed object size.',
  InvalidAccessKeyId: 'The AWS Access Key Id you provided does not exist in our records.',
  InvalidBucketName: 'The specified bucket is not valid.',
  InvalidPart:
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  InvalidPartNumber: 'The requested partnumber is not satisfiable',
  InvalidPartOrder: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
  InvalidRange: 'The requested range is not satisfiable',
  InvalidStorageClass: 'The storage class you specified is not valid',
  KeyTooLongError: 'Your key is too long',
  MalformedXML: 'The XML you provided was not well-formed or did not validate against our published schema',
  MethodNotAllowed: 'The specified method is not allowed against this resource.',
  MissingContentLength: 'You must provide the Content-Length HTTP header.',
  NoSuchBucket: 'The specified bucket does not exist',
  NoSuchCORSConfiguration: 'The CORS configuration does not exist',
  NoSuchKey: 'The specified key does not exist.',
  NoSuchUpload:
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  NoSuchVersion: 'The specified version does not exist.',
  NotImplemented: 'A header you provided implies functionality that is not implemented',
  PreconditionFailed: 'At least one of the pre-conditions you specified did not hold',
  RequestTimeTooSkewed: 'The difference between the request time and the current time is too large.',
  SignatureDoesNotMatch:
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  XAmzContentSHA256Mismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  InternalError: 'We encountered an internal error. Please try again.',
  InsufficientStorage:
    'The store has no space left on its disk for this data. Free some space (delete objects), then try again.',
};

export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  /** Extra elements for the XML body (e.g. `Condition`, `ArgumentName`). */
  readonly details: Readonly<Record<string, string>>;
  /** Headers the answer carries besides (x-amz-delete-marker, x-amz-version-id of a delete marker). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: S3ErrorCode,
    message?: string,
    details: Record<string, string> = {},
    options?: ErrorOptions & { headers?: Record<string, string> },
  ) {
    super(message ?? DEFAULT_MESSAGE[code] ?? code, options);
    this.name = 'S3Error';
    this.code = code;
    this.status = STATUS[code];
    this.details = details;
    this.headers = options?.headers ?? {};
  }

  /** The code as sent on the wire (CORSForbidden is an AccessForbidden in S3's XML). */
  get wireCode(): string {
    return this.code === 'CORSForbidden' ? 'AccessForbidden' : this.code;
  }
}

export function toS3Error(error: unknown): S3Error {
  if (error instanceof S3Error) return error;
  if (isDiskFull(error)) return new S3Error('InsufficientStorage', undefined, {}, { cause: error });
  return new S3Error('InternalError', undefined, {}, { cause: error });
}

/** The file system is out of space or over quota (a short write to a regular file means the same). */
function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
