import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config.ts';
import { tagOperations } from './operation-tag.ts';

export interface S3Clients {
  /** For calls the server makes itself. */
  api: S3Client;
  /** For presigned URLs that browsers use (S3_PUBLIC_ENDPOINT when set). */
  presign: S3Client;
}

export function createS3Clients(
  s3: Config['s3'],
  endpoint: string | undefined,
  credentials: Config['s3']['credentials'],
): S3Clients {
  const base = {
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    // A copy: the SDK annotates the object it is given, and Config is frozen.
    ...(credentials ? { credentials: { ...credentials } } : {}),
    // Checksums are signed explicitly per part; without this the presigner bakes the CRC32 of an
    // empty body into every URL and real S3 rejects the upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  } as const;
  const api = new S3Client({ ...base, ...(endpoint ? { endpoint } : {}) });
  tagOperations(api);
  const publicEndpoint = s3.publicEndpoint ?? endpoint;
  const presign =
    publicEndpoint === endpoint
      ? api
      : new S3Client({ ...base, ...(publicEndpoint ? { endpoint: publicEndpoint } : {}) });
  return { api, presign };
}
