// S3's multipart limits, as lib-storage names them.
export const MIN_PART_SIZE = 5 * 1024 ** 2;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;
export const MAX_SINGLE_PUT_SIZE = 5 * 1024 ** 3;
export const MAX_OBJECT_SIZE = 5 * 1024 ** 4;
export const MAX_KEY_BYTES = 1024;
