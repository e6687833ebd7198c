/**
 * The part layout of a multipart object, as a downloader needs it to recompute a COMPOSITE checksum
 * (the checksum of the parts' checksums): every part `partSize` bytes but the last, which has the
 * rest. Only uniform layouts are described; anything else gives null (the download stays unverified
 * rather than risk calling a good file corrupt). Pure.
 */
export interface PartLayout {
  partSize: number;
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

/** The number of parts after the "-" of a composite checksum ("7Pt3MQ==-3" → 3), or null. */
export function compositePartCount(value: string): number | null {
  const match = /-(\d+)$/.exec(value);
  return match ? Number(match[1]) : null;
}

/** Part sizes of `layout` over an object of `size` bytes fit it exactly. */
export function layoutFits(layout: PartLayout, size: number): boolean {
  const { partSize, count } = layout;
  return (
    Number.isSafeInteger(partSize) &&
    Number.isSafeInteger(count) &&
    partSize > 0 &&
    count > 0 &&
    (count - 1) * partSize < size &&
    size <= count * partSize
  );
}
