/**
 * Whether, and how, a download can be proved by the object's ETag (server/shared/etag.ts), for objects
 * the store keeps no usable checksum of (Ceph RGW, older MinIO, objects written without one). Pure.
 * - a single-part ETag is the MD5 of the bytes: a mismatch is corruption;
 * - a multipart ETag ("…-N") needs the part sizes: from the server (the layout GetObjectAttributes
 *   gave, or HeadObject for every part number, uniform or not), one part for N = 1, or else guessed:
 *   every part but the last of part 1's size (HeadObject with PartNumber=1, the server's `firstPart`,
 *   past 100 parts), else as Hoist's own uploads cut parts
 *   (`planParts`), or the AWS CLI and boto3, or MinIO's client, or s3cmd do by default
 *   (`toolLayouts`). A real layout that does not give the ETag back is corruption; a guess that does
 *   not says nothing (parts of other sizes can make the same count), so it is never a failure, and a
 *   guess is only tried when it has N parts too: the first of those that has.
 * Under SSE-KMS or SSE-C an ETag is no MD5 at all, and is not used.
 */
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import { etagHidesMd5, parseEtag } from '../../../../server/shared/etag.ts';
import {
  layoutFits,
  layoutFromFirstPart,
  type PartLayout,
  type PartRun,
} from '../../../../server/shared/part-layout.ts';
import { commonLayout } from '../shared/tool-layouts.ts';

export type EtagPlan =
  /** The ETag says nothing of the bytes: a store's own tag, or encrypted with KMS or a customer key. */
  | { kind: 'none' }
  /**
   * Recompute the ETag (`expected`, normalised: lower-case hex, "-N" for a multipart one) with
   * `partSize` (null: the MD5 of the bytes), or every part's size (`runs`, parts of uneven sizes).
   * `guessed`: the part size is inferred (from part 1's, or Hoist's own), not the store's layout.
   */
  | { kind: 'recompute'; expected: string; partSize: number | null; runs?: PartRun[]; guessed: boolean }
  /** A multipart ETag whose part sizes are not known: it cannot be recomputed. */
  | { kind: 'unknown-parts' };

export function planEtagCheck(
  link: Pick<
    DownloadLink,
    | 'etag'
    | 'size'
    | 'checksum'
    | 'firstPart'
    | 'partLayout'
    | 'serverSideEncryption'
    | 'sseCustomerAlgorithm'
  >,
  guess: (size: number, parts: number) => PartLayout | null = commonLayout,
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
  // The layout the store gave: with a composite checksum, or part by part (HeadObject with PartNumber).
  const known = link.checksum?.parts ?? link.partLayout;
  if (fits(known)) {
    const { partSize, runs } = known;
    return { kind: 'recompute', expected, partSize, ...(runs && { runs }), guessed: false };
  }
  // Part 1's size, when the store told it, is the only guess worth a read: no tool's layout can
  // match an object whose part 1 has another size.
  const guessed = link.firstPart
    ? layoutFromFirstPart(link.firstPart, link.size)
    : guess(link.size, etag.parts);
  if (fits(guessed)) return { kind: 'recompute', expected, partSize: guessed.partSize, guessed: true };
  return { kind: 'unknown-parts' };
}
