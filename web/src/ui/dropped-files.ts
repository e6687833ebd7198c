import type { UploadFileInput } from '../transfer/upload/index.ts';

/** Files from a file or folder `<input>`: folder picks carry `webkitRelativePath`. */
export function filesFromInput(list: ArrayLike<File> | null): UploadFileInput[] {
  return Array.from(list ?? [], (file) => {
    const relativePath = pathInPick(file);
    return { file, ...(relativePath ? { relativePath } : {}) };
  });
}

/**
 * A folder pick's path of `file`. Chromium writes a "\" of a file's name as "/" in
 * `webkitRelativePath` ("back\slash.txt" in "odd" reads "odd/back/slash.txt"), which made a folder
 * "back" of it; the name is taken as `name` says, as the AWS CLI keeps it.
 */
function pathInPick(file: File): string {
  const path = file.webkitRelativePath;
  if (!path || !file.name.includes('\\')) return path;
  const written = file.name.replaceAll('\\', '/');
  return path.endsWith(`/${written}`) ? path.slice(0, path.length - written.length) + file.name : path;
}

/** What a drop gave: its files, and the paths of the items in it that could not be read. */
export interface DroppedFiles {
  files: UploadFileInput[];
  /** A file moved, deleted or not allowed to be opened; a folder ("name/") that could not be listed. */
  unreadable: string[];
}

/** Files from a drop, walking dropped folders so their relative paths become key prefixes. */
export async function filesFromDrop(data: DataTransfer): Promise<DroppedFiles> {
  const entries = Array.from(data.items, (item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.every((e) => e === null || e.isFile))
    return { files: filesFromInput(data.files), unreadable: [] };
  return filesFromEntries(entries);
}

/**
 * The files under dropped entries. An item that cannot be read is named in `unreadable` and the rest
 * are still taken, as Uppy does: one broken link or locked file does not lose the whole drop.
 */
export async function filesFromEntries(entries: readonly (FileSystemEntry | null)[]): Promise<DroppedFiles> {
  const out: DroppedFiles = { files: [], unreadable: [] };
  for (const entry of entries) if (entry) await walk(entry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: DroppedFiles): Promise<void> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    try {
      const file = await new Promise<File>((resolve, reject) =>
        (entry as FileSystemFileEntry).file(resolve, reject),
      );
      out.files.push({ file, ...(path.includes('/') ? { relativePath: path } : {}) });
    } catch {
      out.unreadable.push(path);
    }
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until it answers an empty one.
  for (;;) {
    let batch: FileSystemEntry[];
    try {
      batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    } catch {
      out.unreadable.push(`${path}/`);
      return;
    }
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}

/**
 * Whether a drag carries files (from the desktop or a file manager), from its `dataTransfer.types`:
 * text or a link dragged inside the page does not. Only the types can be read before the drop.
 */
export function carriesFiles(types: readonly string[] | undefined): boolean {
  return types?.includes('Files') ?? false;
}
