/**
 * The part layout of a multipart object, as a downloader needs it to recompute a COMPOSITE checksum
 * (the checksum of the parts' checksums) or a multipart ETag (the MD5 of the parts' MD5s). Most
 * tools cut every part `partSize` bytes but the last, which has the rest: that layout is two numbers.
 * Parts may differ in size (S3 allows any size of at least 5 MiB but the last, and streaming
 * uploaders make them): then `runs` lists every part's size in order, run-length, so 10,000 parts of
 * a few sizes stay a few pairs in the download link. Pure.
 */
export interface PartLayout {
  /** Every part's size but the last's; with `runs`, the first part's. */
  partSize: number;
  count: number;
  /** Parts of uneven sizes: every part's size in order, as [size, how many parts in a row]. */
  runs?: PartRun[];
}

/** [size, repeat]: `repeat` parts of `size` bytes one after another. */
export type PartRun = [size: number, repeat: number];

/** What `HeadObject` with `PartNumber=1` says of a multipart object: part 1's size, and how many parts. */
export interface FirstPart {
  size: number;
  count: number;
}

/** The layout `sizes` (every part's size, in order) follow, or null when it is not uniform. */
export function uniformLayout(sizes: readonly number[], total: number): PartLayout | null {
  const partSize = sizes[0];
  const last = sizes[sizes.length - 1];
  if (partSize === undefined || last === undefined || !(partSize > 0)) return null;
  if (sizes.slice(0, -1).some((s) => s !== partSize)) return null;
  if (!(last > 0 && last <= partSize)) return null;
  return (sizes.length - 1) * partSize + last === total ? { partSize, count: sizes.length } : null;
}

/**
 * The layout of parts of `sizes` (in order) over an object of `total` bytes: uniform where it is,
 * else every size, run-length. Null when the sizes do not make up the object (or a part is empty).
 */
export function layoutOf(sizes: readonly number[], total: number): PartLayout | null {
  const uniform = uniformLayout(sizes, total);
  if (uniform) return uniform;
  if (sizes.length === 0 || !sizes.every((s) => Number.isSafeInteger(s) && s > 0)) return null;
  if (sizes.reduce((sum, s) => sum + s, 0) !== total) return null;
  const runs: PartRun[] = [];
  for (const size of sizes) {
    const last = runs[runs.length - 1];
    if (last && last[0] === size) last[1]++;
    else runs.push([size, 1]);
  }
  return { partSize: sizes[0]!, count: sizes.length, runs };
}

/**
 * The uniform layout part 1's size implies (every part that size but the last) when it has the
 * object's part count too; null when it cannot be so. Only a guess: parts of other sizes can add up
 * to the same count, so a checksum that does not match it proves nothing.
 */
export function layoutFromFirstPart(first: FirstPart, size: number): PartLayout | null {
  const layout = { partSize: first.size, count: first.count };
  return layoutFits(layout, size) ? layout : null;
}

/** Every part's size, in order (at most 10,000: S3's limit). */
export function partSizes(layout: PartLayout, size: number): number[] {
  if (layout.runs) return layout.runs.flatMap(([s, repeat]) => Array<number>(repeat).fill(s));
  const { partSize, count } = layout;
  return Array.from({ length: count }, (_, i) => (i < count - 1 ? partSize : size - (count - 1) * partSize));
}

/** The offset each part begins at, in order (the first is 0). */
export function partStarts(layout: PartLayout, size: number): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const s of partSizes(layout, size)) {
    starts.push(at);
    at += s;
  }
  return starts;
}

/** The number of parts after the "-" of a composite checksum ("7Pt3MQ==-3" → 3), or null. */
export function compositePartCount(value: string): number | null {
  const match = /-(\d+)$/.exec(value);
  return match ? Number(match[1]) : null;
}

/** Part sizes of `layout` over an object of `size` bytes fit it exactly. */
export function layoutFits(layout: PartLayout, size: number): boolean {
  const { partSize, count, runs } = layout;
  if (!(Number.isSafeInteger(count) && count > 0)) return false;
  if (runs) {
    let parts = 0;
    let bytes = 0;
    for (const run of runs) {
      if (!Array.isArray(run) || run.length !== 2) return false;
      const [s, repeat] = run;
      if (!(Number.isSafeInteger(s) && s > 0 && Number.isSafeInteger(repeat) && repeat > 0)) return false;
      parts += repeat;
      bytes += s * repeat;
    }
    return parts === count && bytes === size && runs[0]?.[0] === partSize;
  }
  return (
    Number.isSafeInteger(partSize) &&
    partSize > 0 &&
    (count - 1) * partSize < size &&
    size <= count * partSize
  );
}
