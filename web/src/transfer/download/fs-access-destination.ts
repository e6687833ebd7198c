/**
 * Destination over the File System Access API: a folder the user picked with `showDirectoryPicker`.
 * Folders are created segment by segment with `getDirectoryHandle(name, { create: true })`; a file is
 * written through `createWritable({ keepExistingData: false })`, which writes to a swap file that
 * `close()` moves into place. Cancelling calls `writable.abort()` (the previous file, if any, is left
 * untouched) and removes the empty entry only when this download created it.
 */
import type { Destination, DestinationFile } from './destination.ts';

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

const isNotFound = (error: unknown) =>
  error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'TypeMismatchError');

export function createFileSystemDestination(root: FileSystemDirectoryHandle): Destination {
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
    async stat(relativePath) {
      const handle = await fileHandle(relativePath);
      return handle ? { size: (await handle.getFile()).size } : null;
    },

    async openFile(relativePath, { signal }) {
      const { folders, name } = split(relativePath);
      const dir = await folder(folders, true);
      signal?.throwIfAborted();
      const existed = await dir.getFileHandle(name).then(
        () => true,
        () => false,
      );
      const handle = await dir.getFileHandle(name, { create: true });
      const writable = await handle.createWritable({ keepExistingData: false });
      let finished = false;
      const file: DestinationFile = {
        write: (offset, chunk) =>
          writable.write({ type: 'write', position: offset, data: chunk as Uint8Array<ArrayBuffer> }),
        close: async () => {
          finished = true;
          await writable.close();
        },
        abort: async () => {
          if (finished) return;
          finished = true;
          await writable.abort().catch(() => {});
          if (!existed) await dir.removeEntry(name).catch(() => {});
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

    async read(relativePath) {
      const handle = await fileHandle(relativePath);
      if (!handle) throw new DOMException(`"${relativePath}" not found`, 'NotFoundError');
      return (await handle.getFile()).stream();
    },
  };
}
