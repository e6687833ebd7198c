/**
 * How an upload row names its file: the path below the folder uploads go to (which the panel states
 * once), or, when the row's file goes elsewhere (another folder was opened after it was added), the
 * whole path from the top, said so ("docs/plan.bin (from the top)"), so "fr.bin" going to the top is
 * not read as the "fr.bin" going into the folder open now. Not with a leading "/": that reads as a key
 * of its own, which S3 allows and other tools write. Paths and folders are relative to the key prefix;
 * folders end in '/'.
 */
export function pathInFolder(path: string, folder: string): string {
  if (folder === '') return path;
  return path.startsWith(folder) && path.length > folder.length
    ? path.slice(folder.length)
    : `${path} (from the top)`;
}
