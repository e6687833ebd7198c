import type { UploadFileInput } from '../transfer/upload/index.ts';

/** Files from a file or folder `<input>`: folder picks carry `webkitRelativePath`. */
export function filesFromInput(list: FileList | null): UploadFileInput[] {
  return Array.from(list ?? [], (file) => ({
    file,
    ...(file.webkitRelativePath ? { relativePath: file.webkitRelativePath } : {}),
  }));
}

/** Files from a drop, walking dropped folders so their relative paths become key prefixes. */
export async function filesFromDrop(data: DataTransfer): Promise<UploadFileInput[]> {
  const entries = Array.from(data.items, (item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.every((e) => e === null || e.isFile)) return filesFromInput(data.files);
  const out: UploadFileInput[] = [];
  for (const entry of entries) if (entry) await walk(entry, out);
  return out;
}

async function walk(entry: FileSystemEntry, out: UploadFileInput[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    const path = entry.fullPath.replace(/^\//, '');
    out.push({ file, ...(path.includes('/') ? { relativePath: path } : {}) });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until it answers an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
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
