/**
 * Checksums from CRCs of pieces of the object that arrived in any order: the full-object CRC (ranges
 * combined with crc32-combine) and S3's COMPOSITE multipart checksum, the CRC of the parts' CRCs
 * (4 big-endian bytes each) followed by "-N". For the composite, every range is cut where a part
 * starts, so each piece (a "segment") lies inside one part; a part's CRC is its segments combined in
 * order. Pure.
 */
import type { PartLayout } from '../../../../server/shared/part-layout.ts';
import { CRC32_POLY, CRC32C_POLY, crc32Combine } from './crc32-combine.ts';
import { crcToBase64 } from './integrity.ts';

export type CrcAlgorithm = 'CRC32' | 'CRC32C';

/** The CRC of the bytes [start, start + length) of the object. */
export interface SegmentCrc {
  start: number;
  length: number;
  crc: number;
}

const polynomial = (algorithm: CrcAlgorithm) => (algorithm === 'CRC32' ? CRC32_POLY : CRC32C_POLY);

/** Offsets inside [start, end] (inclusive) where a part begins, after `start`: where to cut. */
export function partStartsWithin(start: number, end: number, partSize: number): number[] {
  const cuts: number[] = [];
  for (let at = (Math.floor(start / partSize) + 1) * partSize; at <= end; at += partSize) cuts.push(at);
  return cuts;
}

/** Folds segments that must tile [from, to) exactly, in offset order; null on a gap or overlap. */
function tile(segments: readonly SegmentCrc[], from: number, to: number, poly: number): number | null {
  let at = from;
  let crc = 0;
  for (const s of segments) {
    if (s.start !== at || s.length <= 0) return null;
    crc = crc32Combine(crc, s.crc, s.length, poly);
    at += s.length;
  }
  return at === to ? crc : null;
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
  const crc = tile(byStart(segments), 0, size, polynomial(algorithm));
  return crc === null ? null : crcToBase64(crc);
}

/**
 * The composite checksum ("base64-N") from segments that each lie inside one part of `layout`;
 * null when some part is not covered exactly (e.g. pieces kept from an attempt cut another way).
 */
export function compositeChecksum(
  segments: readonly SegmentCrc[],
  layout: PartLayout,
  size: number,
  algorithm: CrcAlgorithm,
): string | null {
  const poly = polynomial(algorithm);
  const { partSize, count } = layout;
  const perPart: SegmentCrc[][] = Array.from({ length: count }, () => []);
  for (const s of segments) {
    const part = Math.floor(s.start / partSize);
    const list = perPart[part];
    if (!list || s.start + s.length > Math.min(size, (part + 1) * partSize)) return null;
    list.push(s);
  }
  const crcs = new Uint8Array(count * 4);
  const view = new DataView(crcs.buffer);
  for (let part = 0; part < count; part++) {
    const start = part * partSize;
    const crc = tile(byStart(perPart[part] ?? []), start, Math.min(size, start + partSize), poly);
    if (crc === null) return null;
    view.setUint32(part * 4, crc);
  }
  return `${crcToBase64(crcOfBytes(crcs, poly))}-${count}`;
}
