import { OWNER_ID } from './bucket-handlers.ts';
import { S3Error } from './errors.ts';
import { header, type S3Request } from './s3-request.ts';

const NAMES = ['x-amz-expected-bucket-owner', 'x-amz-source-expected-bucket-owner'];

/**
 * x-amz-expected-bucket-owner (and x-amz-source-expected-bucket-owner on a copy) is a client's guard against
 * reading from or writing to a bucket someone else owns. Every bucket here has one owner, the ID ListBuckets and
 * the ACLs report: any other value is S3's 403 AccessDenied, never a request carried out regardless.
 */
export function checkExpectedOwner(request: Pick<S3Request, 'headers'>): void {
  for (const name of NAMES) {
    const value = header(request, name);
    if (value !== undefined && value.trim() !== OWNER_ID) throw new S3Error('AccessDenied');
  }
}
