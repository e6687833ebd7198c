import { mkdir, stat } from 'node:fs/promises';
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
