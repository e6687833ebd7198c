/** SHA-256 over sampled bytes (first, middle and last 64 KiB): cheap proof that a file is the same one. */
import { createSHA256 } from 'hash-wasm';
import { isGoneRead, readWhole } from '../shared/file-gone.ts';
import { bytesToBase64 } from '../shared/hasher.ts';
import { fileUnreadable } from './upload-error.ts';

export const SAMPLE_SIZE = 64 * 1024;

export async function sampleHash(file: Blob): Promise<string> {
  const { size } = file;
  let bytes: Uint8Array;
  if (size <= 3 * SAMPLE_SIZE) {
    bytes = new Uint8Array(await readWhole(file));
  } else {
    const middle = Math.floor(size / 2 - SAMPLE_SIZE / 2);
    const pieces = await Promise.all(
      [0, middle, size - SAMPLE_SIZE].map((start) => readWhole(file.slice(start, start + SAMPLE_SIZE))),
    );
    bytes = new Uint8Array(3 * SAMPLE_SIZE);
    pieces.forEach((piece, i) => bytes.set(new Uint8Array(piece), i * SAMPLE_SIZE));
  }
  const sizePrefix = new TextEncoder().encode(`${size}:`);
  const input = new Uint8Array(sizePrefix.length + bytes.length);
  input.set(sizePrefix);
  input.set(bytes, sizePrefix.length);
  return bytesToBase64(await sha256(input));
}

/**
 * `sampleHash` of a picked file. One the browser no longer reads (it changed on disk or was deleted
 * after it was picked: see file-gone.ts) fails as 'file-unreadable', as its parts do: no retry reads it.
 */
export async function fileSampleHash(file: Blob & { name: string }): Promise<string> {
  try {
    return await sampleHash(file);
  } catch (error) {
    if (isGoneRead(error)) throw fileUnreadable(file.name, error);
    throw error;
  }
}

/**
 * WebCrypto where the page has it; it exists only on secure pages (https, or this machine), so a page
 * opened over plain http from another address uses hash-wasm's SHA-256, the same digest.
 */
async function sha256(input: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  if (globalThis.crypto?.subtle) return new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  const hasher = await createSHA256();
  hasher.init();
  hasher.update(input);
  return hasher.digest('binary');
}
