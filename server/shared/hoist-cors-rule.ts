import type { CORSRule } from '@aws-sdk/client-s3';

/** The rule Hoist needs, for these origins (any, when none are given). */
export function hoistCorsRule(origins: string[]) {
  return {
    ID: 'hoist',
    AllowedOrigins: origins.length > 0 ? origins : ['*'],
    AllowedMethods: ['GET', 'PUT', 'HEAD'],
    AllowedHeaders: ['*'],
    ExposeHeaders: ['ETag', 'Content-Length', 'Content-Range', 'x-amz-checksum-crc32', 'x-amz-request-id'],
    MaxAgeSeconds: 3600,
  } satisfies CORSRule;
}

/**
 * What the embedded store's bucket is given when it has no rule (`npm start` and `npm run store`
 * alike): any origin, as it serves only Hoist, and a page without its keys, which never reach a
 * browser, can do nothing with it.
 */
export const REQUIRED_CORS = [hoistCorsRule([])] satisfies CORSRule[];
