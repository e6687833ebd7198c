import { S3ServiceException } from '@aws-sdk/client-s3';

/** The S3 error a request fails with; fails the test if it succeeds or throws something else. */
export async function errorOf(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}
