import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

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
 * Makes `dir` (one of Hoist's own, never a parent) private to its owner if it is not: versions before
 * 2026-12-06 made their data directories readable by every user of the machine, and an upgrade keeps
 * them. True when it changed something. A directory another user owns is left as it is.
 */
export async function makePrivate(dir: string): Promise<boolean> {
  const { mode, uid } = await stat(dir);
  if ((mode & 0o077) === 0 || (process.getuid && uid !== process.getuid())) return false;
  await chmod(dir, 0o700);
  return true;
}
