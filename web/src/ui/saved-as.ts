/**
 * The object's name when it is not the file's (after "Keep both": "notes (1).txt"), else null; a name
 * that differs only in its Unicode form (keys are NFC) is the same name.
 */
export function nameChangedTo(key: string, fileName: string): string | null {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name === fileName.normalize('NFC') ? null : name;
}
