import type { ObjectEntry } from '../../../server/shared/api-types.ts';

/** Objects found under a deleted folder once its delete has run: written after it was counted. */
export interface LeftInFolder {
  /** The folder's name as its row shows it ("many/"). */
  name: string;
  count: number;
}

/**
 * What is still under each deleted (or moved) folder after a delete (or move) of exactly what was
 * counted: objects added meanwhile (kept, as they were not in what the user confirmed). Keys that
 * failed, or that a move left on purpose, are no news and are not counted (`failed`). Folders holding
 * nothing come back empty-handed (left out).
 */
export async function leftAfterDelete(
  folders: readonly string[],
  failed: ReadonlySet<string>,
  listAll: (prefix: string, signal?: AbortSignal) => Promise<ObjectEntry[]>,
  o?: { signal?: AbortSignal },
): Promise<LeftInFolder[]> {
  const lists = await Promise.all(folders.map((f) => listAll(f, o?.signal)));
  return folders.flatMap((folder, i) => {
    const count = lists[i]!.filter((entry) => !failed.has(entry.key)).length;
    return count > 0 ? [{ name: folderName(folder), count }] : [];
  });
}

/** "a/b/many/" → "many/" (a folder with an empty name, "a//", is "/", as its row shows it). */
export function folderName(prefix: string): string {
  return prefix.slice(prefix.slice(0, -1).lastIndexOf('/') + 1);
}
