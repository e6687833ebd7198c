/** Byte ranges of a large object, and the checks on a ranged answer. Pure. */

export const MIB = 1024 ** 2;

export interface ByteRange {
  index: number;
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive (HTTP Range semantics). */
  end: number;
}

export function planRanges(size: number, rangeSize: number): ByteRange[] {
  if (!(rangeSize > 0)) throw new RangeError(`rangeSize must be positive, got ${rangeSize}`);
  const ranges: ByteRange[] = [];
  for (let start = 0, index = 0; start < size; start += rangeSize, index++) {
    ranges.push({ index, start, end: Math.min(size, start + rangeSize) - 1 });
  }
  return ranges;
}

export const rangeLength = (r: ByteRange): number => r.end - r.start + 1;

export const rangeHeader = (r: ByteRange): string => `bytes=${r.start}-${r.end}`;

export interface ContentRange {
  start: number;
  end: number;
  /** null for "*" (unknown total). */
  total: number | null;
}

/** Parses `bytes 0-99/1234`; null when the header is missing or malformed. */
export function parseContentRange(header: string | null): ContentRange | null {
  if (header === null) return null;
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header);
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? null : Number(match[3]);
  if (end < start || (total !== null && end >= total)) return null;
  return { start, end, total };
}

/** The answer covers exactly the bytes asked for, of an object of exactly `size` bytes. */
export function contentRangeMatches(header: string | null, range: ByteRange, size: number): boolean {
  const parsed = parseContentRange(header);
  return parsed !== null && parsed.start === range.start && parsed.end === range.end && parsed.total === size;
}
