import type { Page } from '@playwright/test';

/**
 * Makes `showDirectoryPicker()` hand back a folder in the Origin Private File System, so the real
 * File System Access API does the writing (a headless browser has no folder picker to click). Given
 * several, each pick hands back the next, the last one again once they are used up. A folder may be a
 * path ("outer/inner"): a folder picked inside another.
 */
export async function stubFolderPicker(page: Page, folder: string | string[]): Promise<void> {
  await page.addInitScript((names) => {
    let picks = 0;
    (
      window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }
    ).showDirectoryPicker = async () => {
      let folder = await navigator.storage.getDirectory();
      for (const name of names[Math.min(picks++, names.length - 1)]!.split('/'))
        folder = await folder.getDirectoryHandle(name, { create: true });
      return folder;
    };
  }, [folder].flat());
}

/** Every file under the OPFS folder, with its size and SHA-256. */
export async function readFolder(
  page: Page,
  folder: string,
): Promise<Record<string, { size: number; sha256: string }>> {
  return page.evaluate(async (name) => {
    const out: Record<string, { size: number; sha256: string }> = {};
    const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true });
    const walk = async (dir: FileSystemDirectoryHandle, path: string) => {
      for await (const [entryName, handle] of (
        dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }
      ).entries()) {
        if (handle.kind === 'directory') {
          await walk(handle as FileSystemDirectoryHandle, `${path}${entryName}/`);
        } else {
          let bytes: ArrayBuffer;
          try {
            bytes = await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer();
          } catch (error) {
            // Removed between the listing and the read (a cancelled download cleaning up): not there.
            // A file that should be there and is not fails the caller's comparison anyway.
            if (error instanceof DOMException && /NotFound|NotReadable/.test(error.name)) continue;
            throw error;
          }
          const digest = await crypto.subtle.digest('SHA-256', bytes);
          const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
          out[`${path}${entryName}`] = { size: bytes.byteLength, sha256: hex };
        }
      }
    };
    await walk(root, '');
    return out;
  }, folder);
}
