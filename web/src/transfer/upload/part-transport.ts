import type { SignedPart } from '../../../../server/shared/api-types.ts';

/**
 * Sends one part's bytes to its presigned URL. Rejects with an `UploadError` (see
 * fetch-part-transport.ts for the codes), or with `signal.reason` when aborted.
 */
export interface PartTransport {
  put(part: SignedPart, body: Blob, o: { signal: AbortSignal }): Promise<{ etag: string }>;
}
