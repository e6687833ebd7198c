import { expect } from 'vitest';
import type { SignedPart } from '../../../server/shared/api-types.ts';

/** PUTs each signed part with its slice, as the page does, expecting 200; the parts as Complete takes them. */
export async function putSignedParts(parts: readonly SignedPart[], slices: readonly Uint8Array[]) {
  const done: { partNumber: number; etag: string; checksum: string | undefined }[] = [];
  for (const [i, part] of parts.entries()) {
    const res = await fetch(part.url, { method: 'PUT', headers: part.headers, body: slices[i] as BodyInit });
    expect(res.status, await res.clone().text()).toBe(200);
    done.push({
      partNumber: part.partNumber,
      etag: res.headers.get('etag')!,
      checksum: part.headers['x-amz-checksum-crc32'],
    });
  }
  return done;
}
