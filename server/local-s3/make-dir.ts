import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DataDirError } from './data-dir-error.ts';

/**
 * `mkdir -p`, one level at a time. Node's `mkdir(dir, { recursive: true })` never returns where
 * mkdir says ENOENT for a parent that exists (under /proc: HOIST_DATA_DIR=/proc/x hung the start
 * silently, spinning); here that is the ENOENT it is. ENOTDIR when a file stands in the way.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    try {
      if ((await stat(at)).isDirectory()) break;
      throw notDirectory(dir, at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(at);
      if (dirname(at) === at) break;
    }
  }
  for (const at of missing.reverse()) {
    try {
      // Only its owner may look in: other users of the machine would read the objects' bytes (and the secret).
      await mkdir(at, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Made meanwhile by another start: as good. Anything else there (a file written meanwhile, a
      // symlink to nowhere, which stat took for nothing) is not.
      if (!(await stat(at)).isDirectory()) throw notDirectory(dir, at);
    }
  }
}

const notDirectory = (dir: string, at: string) =>
  Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', path: at });

/**
 * Makes `path` (a directory or file of Hoist's own, never a parent) private to its owner (`mode`: 0700
 * for a directory, 0600 for a file) if it is not: versions before 2026-12-06 made their data
 * directories readable by every user of the machine, and an upgrade keeps them. True when it changed
 * something; false when it was private, or is not there. One another user owns stops the start, as
 * PostgreSQL refuses a data directory of another owner: made beforehand (in /tmp), it lets them read
 * the objects' bytes and the secret the store's keys derive from, or put a secret of their choosing.
 */
export async function makePrivate(path: string, mode: 0o700 | 0o600 = 0o700): Promise<boolean> {
  let now: Awaited<ReturnType<typeof stat>>;
  try {
    now = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const me = process.getuid?.();
  if (me !== undefined && now.uid !== me)
    throw new DataDirError(
      `${path} belongs to another user (uid ${now.uid}; this process runs as uid ${me}), who can read what Hoist keeps there (the objects' bytes, the secret its keys and tokens come from) or put their own. Use a directory of your own (HOIST_DATA_DIR), or take this one: chown -R ${me} ${path}`,
    );
  if ((now.mode & 0o077) === 0) return false;
  // Refused (a file system without modes): no reason not to start.
  return chmod(path, mode).then(
    () => true,
    () => false,
  );
}
