/**
 * Checksums from CRCs of pieces of the object that arrived in any order: the full-object CRC (ranges
 * combined with server/shared/crc-combine.ts; CRC32, CRC32C or CRC64NVME) and S3's COMPOSITE multipart
 * checksum (CRC32 or CRC32C only), the CRC of the parts' CRCs (4 big-endian bytes each) followed by
 * "-N". For the composite, every range is cut where a part starts, so each piece (a "segment") lies
 * inside one part; a part's CRC is its segments combined in order. Pure.
 */
import { combineCrcs, type CrcSpec } from '../../../../server/shared/crc-combine.ts';
import { partStarts, type PartLayout } from '../../../../server/shared/part-layout.ts';
import { CRC_SPECS, crcToBase64, type CompositeCrcAlgorithm, type CrcAlgorithm } from './integrity.ts';

/** The CRC of the bytes [start, start + length) of the object (unsigned, 32 or 64 bits). */
export interface SegmentCrc {
  start: number;
  length: number;
  crc: bigint;
}

/** Where parts begin: every `partSize` bytes (a uniform layout), or each offset listed, in order. */
export type PartCuts = number | readonly number[];

/** The cuts of `layout` over an object of `size` bytes (a list only for uneven parts). */
export const partCuts = (layout: PartLayout, size: number): PartCuts =>
  layout.runs ? partStarts(layout, size) : layout.partSize;

/** The first index of sorted `offsets` whose value is above `at`. */
function firstAbove(offsets: readonly number[], at: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid]! > at) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Offsets inside [start, end] (inclusive) where a part begins, after `start`: where to cut. */
export function partStartsWithin(start: number, end: number, cuts: PartCuts): number[] {
  const found: number[] = [];
  if (typeof cuts !== 'number') {
    for (let i = firstAbove(cuts, start); i < cuts.length && cuts[i]! <= end; i++) found.push(cuts[i]!);
    return found;
  }
  for (let at = (Math.floor(start / cuts) + 1) * cuts; at <= end; at += cuts) found.push(at);
  return found;
}

/** Folds segments that must tile [from, to) exactly, in offset order; null on a gap or overlap. */
function tile(segments: readonly SegmentCrc[], from: number, to: number, spec: CrcSpec): bigint | null {
  let at = from;
  for (const s of segments) {
    if (s.start !== at || s.length <= 0) return null;
    at += s.length;
  }
  return at === to
    ? combineCrcs(
        spec,
        segments.map((s) => ({ crc: s.crc, size: s.length })),
      )
    : null;
}

const byStart = (segments: readonly SegmentCrc[]) => [...segments].sort((a, b) => a.start - b.start);

/** Plain CRC of a few bytes (the parts' CRCs), bit by bit: no tables for at most 40 KB. */
function crcOfBytes(bytes: Uint8Array, poly: number): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ poly : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The object's CRC (base64) from segments covering it; null when they do not cover it exactly. */
export function wholeChecksum(
  segments: readonly SegmentCrc[],
  size: number,
  algorithm: CrcAlgorithm,
): string | null {
  const spec = CRC_SPECS[algorithm];
  const crc = tile(byStart(segments), 0, size, spec);
  return crc === null ? null : crcToBase64(crc, spec.width);
}

/**
 * The composite checksum ("base64-N") from segments that each lie inside one part of `layout`;
 * null when some part is not covered exactly (e.g. pieces kept from an attempt cut another way).
 */
export function compositeChecksum(
  segments: readonly SegmentCrc[],
  layout: PartLayout,
  size: number,
  algorithm: CompositeCrcAlgorithm,
): string | null {
  const spec = CRC_SPECS[algorithm];
  const { count } = layout;
  const starts = partStarts(layout, size);
  const endOf = (part: number) => Math.min(size, starts[part + 1] ?? size);
  const perPart: SegmentCrc[][] = Array.from({ length: count }, () => []);
  for (const s of segments) {
    const part = firstAbove(starts, s.start) - 1;
    const list = perPart[part];
    if (!list || s.start + s.length > endOf(part)) return null;
    list.push(s);
  }
  const crcs = new Uint8Array(count * 4);
  const view = new DataView(crcs.buffer);
  for (let part = 0; part < count; part++) {
    const crc = tile(byStart(perPart[part] ?? []), starts[part]!, endOf(part), spec);
    if (crc === null) return null;
    view.setUint32(part * 4, Number(crc));
  }
  return `${crcToBase64(crcOfBytes(crcs, Number(spec.poly)))}-${count}`;
}
