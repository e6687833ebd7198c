import type { UploadedPart } from '../shared/api-types.ts';

/** Epoch ms of the newest part the store received (ListParts `LastModified`), 0 when none says. */
export function lastPartAt(parts: readonly UploadedPart[]): number {
  let newest = 0;
  for (const part of parts) {
    const at = part.lastModified ? Date.parse(part.lastModified) : NaN;
    if (at > newest) newest = at;
  }
  return newest;
}

/**
 * An upload is still going on while parts keep arriving: one came in within `ttlMs`. The janitor keeps
 * such an upload, and the API honours its token even past the token's expiry.
 */
export function receivedPartWithin(parts: readonly UploadedPart[], ttlMs: number, now: number): boolean {
  return now - lastPartAt(parts) < ttlMs;
}
