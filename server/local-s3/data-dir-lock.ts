import { readFileSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataDirError } from './data-dir-error.ts';
import { newId } from './layout.ts';
import { makeDirectory } from './make-dir.ts';

/**
 * One store process per data dir. Two would each keep their own index of the same files, overwrite each other's
 * manifests, and each start-up sweep would delete what the other is writing. The lock is a file, `LOCK`, created
 * exclusively and holding the owner's pid and, on Linux, when that process started; one whose process is gone (a
 * kill -9, a power cut) is stale and taken over. The start time tells a pid used again by another process (a
 * container restarted, where the same few pids come round every time) from the store that wrote it.
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
  // Taken for this call before its first await: two starts at once in this process are one too many.
  if (held.has(dir)) throw inUse(dir, process.pid);
  held.add(dir);
  try {
    return await takeLock(dir, path, options);
  } catch (error) {
    held.delete(dir);
    throw error;
  }
}

async function takeLock(dir: string, path: string, options: { signal?: AbortSignal }): Promise<DataDirLock> {
  await makeDirectory(dir);
  for (let attempt = 0; attempt < 10; attempt++) {
    options.signal?.throwIfAborted();
    try {
      await writeFile(path, lockText(process.pid), { flag: 'wx' });
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
    if (owner !== undefined && owner.pid !== process.pid && isRunning(owner)) throw inUse(dir, owner.pid);
    // Stale: moved aside in one step, so that of two processes taking it over only one removes it. What was
    // moved is checked: a lock a live process took meanwhile is put back.
    const aside = join(dir, `${LOCK_FILE}.stale-${newId()}`);
    try {
      await rename(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = await ownerOf(aside);
    if (!sameOwner(moved, owner)) {
      // A third process took the name meanwhile: the live lock moved aside stays where it is (its
      // owner's release finds it gone, harmlessly), and this start stops rather than remove either.
      const putBack = await link(aside, path).then(
        () => true,
        () => false,
      );
      if (!putBack) throw inUse(dir, moved !== 'none' && moved !== undefined ? moved.pid : 0);
    }
    await unlink(aside);
  }
  throw new DataDirError(`could not take the lock ${path}: other processes keep taking it`);
}

async function release(dir: string, path: string): Promise<void> {
  if (!held.delete(dir)) return;
  const owner = await ownerOf(path);
  if (owner !== 'none' && owner?.pid === process.pid) await unlink(path).catch(() => undefined);
}

/** Who wrote a lock: its pid, and when that process started where the system says (Linux). */
interface LockOwner {
  pid: number;
  started?: string;
}

/** "pid started\n", or "pid\n" where the start time is not known. */
export function lockText(pid: number): string {
  const started = startTimeOf(pid);
  return `${pid}${started === undefined ? '' : ` ${started}`}\n`;
}

/** The owner of a lock file; undefined when it names none, 'none' when there is no file. */
async function ownerOf(path: string): Promise<LockOwner | 'none' | undefined> {
  try {
    const match = /^(\d+)(?: (\d+))?$/.exec((await readFile(path, 'utf8')).trim());
    if (!match) return undefined;
    return { pid: Number(match[1]), ...(match[2] !== undefined && { started: match[2] }) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
}

function sameOwner(a: LockOwner | 'none' | undefined, b: LockOwner | undefined): boolean {
  if (a === 'none' || a === undefined || b === undefined) return a === b;
  return a.pid === b.pid && a.started === b.started;
}

function isRunning(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: there is such a process, another user's.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(owner.pid);
  // Killed but not yet reaped by its parent.
  if (stat?.state === 'Z') return false;
  // The pid is taken, but by a process started at another time: not the store that wrote the lock.
  return owner.started === undefined || stat?.started === undefined || stat.started === owner.started;
}

/** When a process started, in clock ticks since boot (Linux); undefined elsewhere. */
function startTimeOf(pid: number): string | undefined {
  return procStat(pid)?.started;
}

/**
 * A process's state letter and start time from /proc/<pid>/stat (Linux; undefined elsewhere or when it is
 * gone): "pid (comm) S ppid …", the fields after the last ')' starting at field 3, the start time field 22.
 */
function procStat(pid: number): { state: string; started?: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const started = fields[22 - 3];
  return { state: fields[0] ?? '', ...(started !== undefined && /^\d+$/.test(started) && { started }) };
}

function inUse(dir: string, pid: number): DataDirError {
  return new DataDirError(
    `the data dir ${dir} is in use by ${pid === process.pid ? `a store this process (pid ${pid}) started` : `another store process (pid ${pid})`}: two stores on one data dir destroy each other's files. Stop that one, or give this one another data dir (HOIST_DATA_DIR). Nothing was changed. If no store runs there, remove ${join(dir, LOCK_FILE)}.`,
  );
}
