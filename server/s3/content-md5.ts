import { createHash } from 'node:crypto';
import type { DeleteObjectsCommand } from '@aws-sdk/client-s3';

/**
 * DeleteObjects sent with Content-MD5 instead of the SDK's CRC32 (`x-amz-checksum-crc32`): S3 requires
 * one of them, and MinIO before 2025-02, like other S3-compatible stores, refuses a batch delete
 * without Content-MD5 (MissingContentMD5), so every delete and move failed there. AWS, R2, Ceph RGW and
 * the embedded store all take Content-MD5. Runs after the SDK's checksum step and before signing.
 */
export function withContentMd5(command: DeleteObjectsCommand): DeleteObjectsCommand {
  command.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      if (request.headers && typeof request.body === 'string') {
        for (const name of Object.keys(request.headers)) {
          if (/^x-amz-(sdk-)?checksum-/i.test(name)) delete request.headers[name];
        }
        request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
      }
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'hoistDeleteObjectsContentMd5' },
  );
  return command;
}
