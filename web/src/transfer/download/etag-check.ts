/**
 * Whether, and how, a download can be proved by the object's ETag (server/shared/etag.ts), for objects
 * the store keeps no usable checksum of (Ceph RGW, older MinIO, objects written without one). Pure.
 * - a single-part ETag is the MD5 of the bytes: a mismatch is corruption;
 * - a multipart ETag ("…-N") needs the part sizes: from the server (the layout GetObjectAttributes
 *   gave), one part for N = 1, or else guessed as Hoist's own uploads cut parts (`planParts`). A real
 *   layout that does not give the ETag back is corruption; a guess that does not says nothing (another
 *   tool may have cut other parts), so it is never a failure, and a guess is only tried when it has N
 *   parts too.
 * Under SSE-KMS or SSE-C an ETag is no MD5 at all, and is not used.
 */
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import { etagHidesMd5, parseEtag } from '../../../../server/shared/etag.ts';
import { layoutFits, type PartLayout } from '../../../../server/shared/part-layout.ts';
import { planParts } from '../../../../server/uploads/plan-parts.ts';

export type EtagPlan =
  /** The ETag says nothing of the bytes: a store's own tag, or encrypted with KMS or a customer key. */
  | { kind: 'none' }
  /**
   * Recompute the ETag (`expected`, normalised: lower-case hex, "-N" for a multipart one) with
   * `partSize` (null: the MD5 of the bytes). `guessed`: the part size is Hoist's own, not the store's.
   */
  | { kind: 'recompute'; expected: string; partSize: number | null; guessed: boolean }
  /** A multipart ETag whose part sizes are not known: it cannot be recomputed. */
  | { kind: 'unknown-parts' };

/** How Hoist itself cuts an object of `size` bytes into parts (null: it sends it in one request). */
export function hoistLayout(size: number): PartLayout | null {
  try {
    const plan = planParts(size);
    return plan.kind === 'multipart' ? { partSize: plan.partSize, count: plan.partCount } : null;
  } catch {
    return null; // a size Hoist would not upload
  }
}

export function planEtagCheck(
  link: Pick<DownloadLink, 'etag' | 'size' | 'checksum' | 'serverSideEncryption' | 'sseCustomerAlgorithm'>,
  guess: (size: number) => PartLayout | null = hoistLayout,
): EtagPlan {
  const etag = parseEtag(link.etag);
  if (!etag || etagHidesMd5(link)) return { kind: 'none' };
  if (etag.kind === 'md5') return { kind: 'recompute', expected: etag.md5, partSize: null, guessed: false };
  const expected = `${etag.md5}-${etag.parts}`;
  // One part is the whole object (empty too).
  if (etag.parts === 1) {
    return { kind: 'recompute', expected, partSize: Math.max(1, link.size), guessed: false };
  }
  const fits = (layout: PartLayout | null | undefined): layout is PartLayout =>
    !!layout && layout.count === etag.parts && layoutFits(layout, link.size);
  const known = link.checksum?.parts;
  if (fits(known)) return { kind: 'recompute', expected, partSize: known.partSize, guessed: false };
  const guessed = guess(link.size);
  if (fits(guessed)) return { kind: 'recompute', expected, partSize: guessed.partSize, guessed: true };
  return { kind: 'unknown-parts' };
}
