import type { DownloadLink, DownloadLinks } from '../../../../server/shared/api-types.ts';

/**
 * The server side of a download: a presigned GET URL for one key (`GET /api/download?key=…` through
 * `hc`). Errors are ApiError-like: `{ code, status, message }`.
 */
export interface DownloadApi {
  /** `versionId`: renews the link of a download pinned to that version (see `DownloadLink.versionId`). */
  link(key: string, o?: { signal?: AbortSignal; versionId?: string }): Promise<DownloadLink>;
  /** Links for many keys in one call (at most MAX_LINKS_PER_CALL); optional. */
  links?(keys: string[], o?: { signal?: AbortSignal }): Promise<DownloadLinks>;
  /**
   * Whether the Hoist server reaches the store now; optional. Asked when requests get no answer: a
   * store down for the server too is waited for, spending no retry.
   */
  storeReachable?(o?: { signal?: AbortSignal }): Promise<boolean>;
}

/** What `start` needs of each object, as the listing gives it (`ObjectEntry` fits). */
export interface DownloadRequest {
  key: string;
  size: number;
  etag: string;
}
