/**
 * How an upload row names its file: the path below the folder uploads go to (which the panel states
 * once), or the whole path from the top when the row's file goes elsewhere (another folder was opened
 * after it was added). Paths and folders are relative to the key prefix; folders end in '/'.
 */
export function pathInFolder(path: string, folder: string): string {
  return folder !== '' && path.startsWith(folder) && path.length > folder.length
    ? path.slice(folder.length)
    : path;
}
