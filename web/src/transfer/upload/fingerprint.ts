/** SHA-256 over sampled bytes (first, middle and last 64 KiB): cheap proof that a file is the same one. */
import { bytesToBase64 } from '../shared/hasher.ts';

export const SAMPLE_SIZE = 64 * 1024;

export async function sampleHash(file: Blob): Promise<string> {
  const { size } = file;
  let bytes: Uint8Array;
  if (size <= 3 * SAMPLE_SIZE) {
    bytes = new Uint8Array(await file.arrayBuffer());
  } else {
    const middle = Math.floor(size / 2 - SAMPLE_SIZE / 2);
    const pieces = await Promise.all(
      [0, middle, size - SAMPLE_SIZE].map((start) => file.slice(start, start + SAMPLE_SIZE).arrayBuffer()),
    );
    bytes = new Uint8Array(3 * SAMPLE_SIZE);
    pieces.forEach((piece, i) => bytes.set(new Uint8Array(piece), i * SAMPLE_SIZE));
  }
  const sizePrefix = new TextEncoder().encode(`${size}:`);
  const input = new Uint8Array(sizePrefix.length + bytes.length);
  input.set(sizePrefix);
  input.set(bytes, sizePrefix.length);
  return bytesToBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', input)));
}
