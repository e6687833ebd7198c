import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataDirError } from './data-dir-error.ts';
import { newId } from './layout.ts';

/**
 * One store process per data dir. Two would each keep their own index of the same files, overwrite each other's
 * manifests, and each start-up sweep would delete what the other is writing. The lock is a file, `LOCK`, created
 * exclusively and holding the owner's pid; one whose pid is gone (a kill -9, a power cut) is stale and taken over.
 */

export const LOCK_FILE = 'LOCK';

export interface DataDirLock {
  release(): Promise<void>;
}

/** Dirs this process holds: its own pid in a LOCK it does not hold is a former life's (a container restarted). */
const held = new Set<string>();

export async function lockDataDir(
  dataDir: string,
  options: { signal?: AbortSignal } = {},
): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  if (held.has(dir)) throw inUse(dir, process.pid);
  await mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < 10; attempt++) {
    options.signal?.throwIfAborted();
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      held.add(dir);
      return { release: () => release(dir, path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await ownerOf(path);
    if (owner === 'none') continue;
    // No pid yet: another process between creating the file and writing it, or one that died there.
    if (owner === undefined && attempt < 5) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    if (owner !== undefined && owner !== process.pid && isRunning(owner)) throw inUse(dir, owner);
    // Stale: moved aside in one step, so that of two processes taking it over only one removes it. What was
    // moved is checked: a lock a live process took meanwhile is put back.
    const aside = join(dir, `${LOCK_FILE}.stale-${newId()}`);
    try {
      await rename(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if ((await ownerOf(aside)) !== owner) await link(aside, path).catch(() => undefined);
    await unlink(aside);
  }
  throw new DataDirError(`could not take the lock ${path}: other processes keep taking it`);
}

async function release(dir: string, path: string): Promise<void> {
  if (!held.delete(dir)) return;
  if ((await ownerOf(path)) === process.pid) await unlink(path).catch(() => undefined);
}

/** The pid in a lock file; undefined when it holds none, 'none' when there is no file. */
async function ownerOf(path: string): Promise<number | 'none' | undefined> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return /^\d+$/.test(text) ? Number(text) : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: there is such a process, another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A process killed but not yet reaped by its parent (Linux; elsewhere none is taken for one). */
function isZombie(pid: number): boolean {
  try {
    // "pid (comm) S …": the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

function inUse(dir: string, pid: number): DataDirError {
  return new DataDirError(
    `the data dir ${dir} is in use by ${pid === process.pid ? `a store this process (pid ${pid}) started` : `another store process (pid ${pid})`}: two stores on one data dir destroy each other's files. Stop that one, or give this one another data dir (HOIST_DATA_DIR). Nothing was changed. If no store runs there, remove ${join(dir, LOCK_FILE)}.`,
  );
}
