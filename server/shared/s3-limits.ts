/**
 * S3's limits, as named constants: one list for the API and the embedded store, so the two never
 * disagree (see the S3 user guide, "Amazon S3 multipart upload limits").
 */
export const MIN_PART_SIZE = 5 * 1024 ** 2;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;
/** One PutObject's body. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;
/** CopyObject's source, and the bytes one UploadPartCopy copies. */
export const MAX_COPY_SIZE = 5 * 1024 ** 3;
export const MAX_OBJECT_SIZE = 5 * 1024 ** 4;
export const MAX_KEY_BYTES = 1024;
export const MAX_LIST_KEYS = 1000;
export const MAX_PRESIGN_EXPIRES_SECONDS = 7 * 24 * 3600;
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
