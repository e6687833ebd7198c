/**
 * The store is out of space or over a quota: HTTP 507 (the embedded store's InsufficientStorage,
 * MinIO's XMinioStorageFull) or QuotaExceeded (Ceph RGW and others). Trying again at once does not
 * help; freeing space does. Shared by the server's error answers and the browser's part uploads.
 */
export function isStoreFull(code: string | undefined, status: number | undefined): boolean {
  return (
    status === 507 ||
    code === 'QuotaExceeded' ||
    code === 'XMinioStorageFull' ||
    code === 'InsufficientStorage'
  );
}

/**
 * What a full storage is called, the same wherever it was met (a part PUT, or an API call such as
 * Complete): `code` is the store's error code, when it gave one. `then`: what to do once space is freed,
 * "Retry" where the failure shows beside a Retry button (an upload's row), else "try again".
 */
export function storeFullMessage(code: string | undefined, then: 'Retry' | 'try again'): string {
  return `The storage has no space left${code ? ` (${code})` : ''}. Free some space on it, then ${then}.`;
}
