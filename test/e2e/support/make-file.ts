import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export interface TempFile {
  path: string;
  size: number;
  sha256: string;
}

/** Writes `size` random bytes to a file in a temp dir, 4 MiB at a time, and returns its SHA-256. */
export async function makeFile(dir: string, name: string, size: number): Promise<TempFile> {
  const path = join(dir, name);
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const chunk = 4 * 1024 * 1024;
  for (let written = 0; written < size; written += chunk) {
    const block = randomBytes(Math.min(chunk, size - written));
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { path, size, sha256: hash.digest('hex') };
}
