import { open, rename, rm, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Crash-safe file primitives: write to a temp file, fsync, rename into place, fsync the directory. */

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Atomically replaces `path` with `data`: readers see the old or the new content, never a torn one. */
export async function writeAtomic(
  path: string,
  data: string | Uint8Array,
  tmpPath: string,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  options.signal?.throwIfAborted();
  try {
    await writeFileDurable(tmpPath, data);
    await rename(tmpPath, path);
  } catch (error) {
    await removeQuietly(tmpPath);
    throw error;
  }
  await fsyncDir(dirname(path));
}

export async function moveDurable(from: string, to: string): Promise<void> {
  await rename(from, to);
  await fsyncDir(dirname(to));
}

export async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // already gone
  }
}

export async function removeTree(path: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rm(path, { recursive: true, force: true });
      return;
    } catch (error) {
      // A racing writer can add an entry while rm walks the directory (ENOTEMPTY): try again.
      if (attempt >= 5) throw error;
    }
  }
}
