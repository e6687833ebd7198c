import { open, rename, rm, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Crash-safe file primitives: write to a temp file, fsync, rename into place, fsync the directory. */

export function fsyncDir(dir: string): Promise<void> {
  return directorySync.fsync(dir);
}

/**
 * The directory fsync everything here goes through. A seam for tests only: they put a failing one in place (and
 * back) to see what a failed fsync leaves behind, which no real disk can be made to do on demand.
 */
export const directorySync = { fsync: fsyncDirectory };

async function fsyncDirectory(dir: string): Promise<void> {
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

/**
 * The rename took effect (readers, and a restart, see the new file) but its directory could not be fsynced, so a
 * power cut might still undo it. The new file is the truth now: the caller makes its state follow it and must not
 * remove what it names, then reports the failure.
 */
export class UnsyncedRenameError extends Error {
  constructor(path: string, cause: unknown, done = 'renamed into place') {
    super(`${done} but its directory could not be fsynced: ${path}`, { cause });
    this.name = 'UnsyncedRenameError';
  }
}

/** Awaits a durable write, handing back (not throwing) an UnsyncedRenameError for the caller to report later. */
export async function unsyncedOf(write: Promise<void>): Promise<UnsyncedRenameError | undefined> {
  try {
    await write;
    return undefined;
  } catch (error) {
    if (error instanceof UnsyncedRenameError) return error;
    throw error;
  }
}

/**
 * Atomically replaces `path` with `data`: readers see the old or the new content, never a torn one. A failed
 * directory fsync after the rename is an UnsyncedRenameError.
 */
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
  await syncRenamed(path);
}

/**
 * Fsyncs the directory of `path`, just renamed into place (or created, or removed: `done`); a failure is an
 * UnsyncedRenameError.
 */
export async function syncRenamed(path: string, done?: string): Promise<void> {
  try {
    await fsyncDir(dirname(path));
  } catch (error) {
    throw new UnsyncedRenameError(path, error, done);
  }
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
