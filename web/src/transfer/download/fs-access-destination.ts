/**
 * Destination over the File System Access API: a folder the user picked with `showDirectoryPicker`.
 * Folders are created segment by segment with `getDirectoryHandle(name, { create: true })`, with the
 * file they hold, once its first bytes are here. A file
 * that takes more than one write, or replaces a file, is written under a partial name ("report.pdf.hoist-partial", as
 * Chrome writes "….crdownload" and Firefox "….part") and renamed to its real name only once complete,
 * so a tab closed mid-download leaves a file that says it is unfinished, never an empty or short file
 * under the real name. As Chrome reserves its paths, a partial name is never one a file in the folder
 * already has (a closed tab's leftover, or a file of the user's: left alone) nor one another file open
 * here uses: "report.pdf (1).hoist-partial" then. No safe name ends in the suffix
 * (key-to-relative-path.ts), so no download lands on another's partial file. Files are written through `createWritable({ keepExistingData: false })`
 * (itself a swap file that `close()` commits), so a file already at the real name is replaced only
 * at the end; `flush()` closes the partial file first, so it can be read back and checked before. Cancelling calls `writable.abort()` and removes what this download created.
 */
import type { Destination, DestinationFile, FolderOverlap } from './destination.ts';
import { foldPath, MAX_SEGMENT_BYTES, PARTIAL_SUFFIX } from './key-to-relative-path.ts';
import { truncateUtf8, utf8Length } from '../../../../server/shared/utf8.ts';
import type { Locks } from '../shared/locks.ts';

type ShowDirectoryPicker = (options?: {
  id?: string;
  mode?: 'read' | 'readwrite';
  startIn?: string;
}) => Promise<FileSystemDirectoryHandle>;

function directoryPicker(): ShowDirectoryPicker | undefined {
  return (globalThis as { showDirectoryPicker?: ShowDirectoryPicker }).showDirectoryPicker;
}

/** Chromium-based browsers; elsewhere use `downloadViaBrowser`. */
export function supportsDirectoryPicker(): boolean {
  return typeof directoryPicker() === 'function';
}

/** Asks the user for a folder to download into (must run in a click handler). */
export async function pickDownloadFolder(): Promise<FileSystemDirectoryHandle> {
  const pick = directoryPicker();
  if (!pick)
    throw new Error('This browser cannot write into a folder; downloads go to its download manager.');
  return pick({ id: 'hoist-downloads', mode: 'readwrite' });
}

function split(relativePath: string): { folders: string[]; name: string } {
  const parts = relativePath.split('/').filter((s) => s !== '');
  const name = parts.pop();
  if (name === undefined || parts.some((s) => s === '.' || s === '..') || name === '.' || name === '..') {
    throw new TypeError(`Unsafe relative path "${relativePath}"`);
  }
  return { folders: parts, name };
}

/**
 * What a download is written under until it is complete, the `n`th choice when earlier ones are taken;
 * at most 255 bytes, like the name (whose end gives way, whole characters at a time).
 */
export function partialName(name: string, n = 0): string {
  const tag = `${n === 0 ? '' : ` (${n})`}${PARTIAL_SUFFIX}`;
  const kept = truncateUtf8(name, MAX_SEGMENT_BYTES - utf8Length(tag));
  return (kept === '' ? Array.from(name)[0]! : kept) + tag;
}

/** Partial names tried per file before giving up (Chrome's kMaxUniqueFiles). */
const MAX_PARTIAL_NAMES = 100;

type Movable = FileSystemFileHandle & { move?: (newName: string) => Promise<void> };

/**
 * Gives the complete partial file its real name. `move()` (Chromium 110+) renames in place and replaces
 * a file already there; where it is missing or refuses, the bytes are copied into the real name.
 */
async function commit(dir: FileSystemDirectoryHandle, partial: Movable, from: string, to: string) {
  if (typeof partial.move === 'function') {
    try {
      await partial.move(to);
      return;
    } catch (error) {
      if (!(error instanceof DOMException)) throw error;
    }
  }
  // A name that was free is not left holding an empty file when the copy into it fails.
  const existed = await hasEntry(dir, to);
  const target = await dir.getFileHandle(to, { create: true });
  try {
    const writable = await target.createWritable({ keepExistingData: false });
    const reader = (await partial.getFile()).stream().getReader();
    try {
      for (let position = 0, read = await reader.read(); !read.done; read = await reader.read()) {
        await writable.write({ type: 'write', position, data: read.value as Uint8Array<ArrayBuffer> });
        position += read.value.byteLength;
      }
    } catch (error) {
      await writable.abort().catch(() => {});
      throw error;
    }
    await writable.close();
  } catch (error) {
    if (!existed) await dir.removeEntry(to).catch(() => {});
    throw error;
  }
  await dir.removeEntry(from).catch(() => {});
}

const isNotFound = (error: unknown) =>
  error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'TypeMismatchError');

/** Whether `dir` holds an entry (file or folder) called `name`. */
async function hasEntry(dir: FileSystemDirectoryHandle, name: string): Promise<boolean> {
  try {
    await dir.getFileHandle(name);
    return true;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TypeMismatchError') return true;
    if (error instanceof DOMException && error.name === 'NotFoundError') return false;
    throw error;
  }
}

/** Whether `dir` holds an empty file called `name` (what a closed tab's partial file is left as). */
async function isEmptyFile(dir: FileSystemDirectoryHandle, name: string): Promise<boolean> {
  try {
    return (await (await dir.getFileHandle(name)).getFile()).size === 0;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export function createFileSystemDestination(
  root: FileSystemDirectoryHandle,
  o: {
    /**
     * The tabs' shared locks (Web Locks): a partial file is held under one while it is written, so an
     * empty partial file nobody holds is a closed tab's leftover (Chromium commits a file's bytes only
     * on close, so the leftover is always empty): it is removed and its name used, rather than left in
     * the user's folder for good beside a "name (1).hoist-partial". Without them every leftover stays.
     */
    locks?: Locks | null;
    /** The folders picked before that this one lies in or around (see `Destination.overlaps`). */
    overlaps?: readonly FolderOverlap[];
  } = {},
): Destination {
  const locks = o.locks ?? null;
  /** Partial files open here, by folded path: two files never get one. */
  const partials = new Set<string>();

  /**
   * The first partial name for `name` no open file uses and no entry in `dir` has (or only a closed
   * tab's leftover), held until released.
   */
  async function reservePartial(dir: FileSystemDirectoryHandle, folders: string[], name: string) {
    for (let n = 0; n < MAX_PARTIAL_NAMES; n++) {
      const temp = partialName(name, n);
      const key = foldPath([...folders, temp].join('/'));
      if (partials.has(key)) continue;
      partials.add(key); // before the await: a file opened meanwhile takes the next name
      let unlock: (() => void) | null = null;
      const release = () => {
        partials.delete(key);
        unlock?.();
      };
      try {
        // A folder's name stands for it (handles cannot name a lock): two folders of one name share
        // their locks, which only leaves a leftover in place. A folder picked inside another names
        // its files' locks otherwise ("photos/x.jpg…" in "Downloads", "x.jpg…" in "photos"); there the
        // browser's own lock keeps a file being written from going: removeEntry fails
        // (NoModificationAllowedError), and the next name is tried.
        unlock = locks && (await locks.acquire(`hoist-partial:${root.name}/${key}`));
        if (locks && !unlock) {
          release(); // another tab writes this partial file
          continue;
        }
        if (!(await hasEntry(dir, temp))) return { temp, release };
        // (One that will not go is left, and the next name tried.)
        const gone =
          unlock &&
          (await isEmptyFile(dir, temp)) &&
          (await dir.removeEntry(temp).then(
            () => true,
            () => false,
          ));
        if (gone) return { temp, release };
      } catch (error) {
        release();
        throw error;
      }
      release();
    }
    throw new DOMException(`No free partial name for "${name}" in the folder.`, 'InvalidModificationError');
  }

  async function folder(folders: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
    let dir = root;
    for (const segment of folders) dir = await dir.getDirectoryHandle(segment, { create });
    return dir;
  }

  async function fileHandle(relativePath: string): Promise<FileSystemFileHandle | null> {
    const { folders, name } = split(relativePath);
    try {
      return await (await folder(folders, false)).getFileHandle(name);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  return {
    name: root.name,
    overlaps: o.overlaps ?? [],
    async requestAccess() {
      // Chromium's FileSystemHandle.requestPermission (not in every DOM typing yet).
      const handle = root as FileSystemDirectoryHandle & {
        requestPermission?: (o: { mode: 'readwrite' }) => Promise<PermissionState>;
      };
      if (!handle.requestPermission) return true;
      return (await handle.requestPermission({ mode: 'readwrite' })) === 'granted';
    },
    async stat(relativePath) {
      const handle = await fileHandle(relativePath);
      return handle ? { size: (await handle.getFile()).size } : null;
    },

    async openFile(relativePath, { size, signal }) {
      const { folders, name } = split(relativePath);
      // The folders are made with the file: a download that fails before its first bytes leaves no
      // empty folder behind. A file in the way of one, or a folder at the real name, fails now, not
      // after the whole download.
      const found = await folder(folders, false).catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'NotFoundError') return null;
        throw error;
      });
      signal?.throwIfAborted();
      const fileIn = (dir: FileSystemDirectoryHandle) =>
        dir.getFileHandle(name).then(
          () => true,
          (error: unknown) => {
            if (error instanceof DOMException && error.name === 'NotFoundError') return false;
            throw error;
          },
        );
      let existed = found !== null && (await fileIn(found));
      // Nothing is created before the first bytes are here. A file that comes in one write (a small
      // object: the body is gathered into writes of about 1 MiB) goes straight to its name, as its
      // whole life there is that one write and the close; anything longer is written as partial, and
      // so is any file replacing one (its close would replace the old file before the new one is
      // checked, and a Cancel then would leave neither).
      let opening: Promise<{
        dir: FileSystemDirectoryHandle;
        handle: Movable;
        writable: FileSystemWritableFileStream;
        temp: string | null;
        /** Gives the partial name back (once the partial file is gone or renamed). */
        release: () => void;
      }> | null = null;
      const open = (whole: boolean) =>
        (opening ??= (async () => {
          const dir = found ?? (await folder(folders, true));
          // Looked for again now the bytes are here: another tab may have saved a file at the name
          // meanwhile (both found it free). That file is written beside, as partial, and never removed
          // by this download's cancel or failure.
          if (!existed) existed = await fileIn(dir);
          const reserved = whole && !existed ? null : await reservePartial(dir, folders, name);
          const temp = reserved?.temp ?? null;
          const release = () => void reserved?.release();
          try {
            const handle = await dir.getFileHandle(temp ?? name, { create: true });
            try {
              const writable = await handle.createWritable({ keepExistingData: false });
              return { dir, handle, writable, temp, release };
            } catch (error) {
              // No room even for the swap file: the empty file `create` just made goes too.
              if (temp !== null || !existed) await dir.removeEntry(temp ?? name).catch(() => {});
              throw error;
            }
          } catch (error) {
            release();
            throw error;
          }
        })());
      /** 'saving': being flushed or committed; 'flushed': complete, not yet under its name (if partial). */
      let state: 'writing' | 'saving' | 'flushed' | 'finished' = 'writing';
      /** Removes what this download created: its partial file, or the file it made at the name. */
      const discard = async ({ dir, temp, release }: Awaited<ReturnType<typeof open>>) => {
        if (temp !== null) await dir.removeEntry(temp).catch(() => {});
        else if (!existed) await dir.removeEntry(name).catch(() => {});
        release();
      };
      const flush = async () => {
        if (state === 'flushed') return;
        if (state !== 'writing') throw new TypeError(`"${relativePath}" is no longer open`);
        state = 'saving';
        const opened = await open(size === 0);
        try {
          await opened.writable.close();
        } catch (error) {
          // Not saved (a full disk, say): nothing this download created stays behind, or a Retry
          // would find an empty file under the real name and ask whether to replace it.
          state = 'finished';
          await opened.writable.abort().catch(() => {});
          await discard(opened);
          throw error;
        }
        state = 'flushed';
      };
      const file: DestinationFile = {
        write: async (offset, chunk) => {
          const { writable } = await open(offset === 0 && chunk.byteLength === size);
          await writable.write({ type: 'write', position: offset, data: chunk as Uint8Array<ArrayBuffer> });
        },
        flush,
        read: async () => {
          if (state !== 'flushed') throw new TypeError(`"${relativePath}" is not flushed`);
          return (await (await open(size === 0)).handle.getFile()).stream();
        },
        close: async () => {
          await flush();
          state = 'saving';
          const opened = await open(size === 0);
          try {
            if (opened.temp !== null) await commit(opened.dir, opened.handle, opened.temp, name);
          } catch (error) {
            state = 'finished';
            await discard(opened);
            throw error;
          }
          state = 'finished';
          opened.release();
        },
        abort: async () => {
          if (state === 'saving' || state === 'finished') return;
          const flushed = state === 'flushed';
          state = 'finished';
          const opened = await opening?.catch(() => null);
          if (!opened) return;
          if (!flushed) await opened.writable.abort().catch(() => {});
          // Written in one write, the flushed file is already under its name: it goes, unproved.
          if (flushed && opened.temp === null) await opened.dir.removeEntry(name).catch(() => {});
          await discard(opened);
        },
      };
      return file;
    },

    async remove(relativePath) {
      const { folders, name } = split(relativePath);
      try {
        await (await folder(folders, false)).removeEntry(name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
