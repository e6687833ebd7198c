/**
 * Where a rename or move puts an object, as `aws s3 mv x s3://bucket/newdir/` does: a new path that
 * ends in "/" names a folder, and the object goes into it under its own name
 * ("report.pdf" to "2024/" → "2024/report.pdf"). Any other path is the new key itself.
 * `source` is the object's key (or just its name); only its last segment is used.
 */
export function renameTarget(source: string, newPath: string): string {
  if (!newPath.endsWith('/')) return newPath;
  return newPath + source.slice(source.lastIndexOf('/') + 1);
}

/**
 * The new path of a renamed object relative to the server's key prefix, as the S3 console's Move
 * and `aws s3 mv` reach any key: typed relative to `folder` (the folder the object is shown in, ''
 * or ending in "/"), or from the top when it starts with "/" ("/moved/" → "moved/report.pdf", "/"
 * alone → the top under its own name). Only the first "/" is taken off: the rest is for the key
 * rules to judge ("//x" stays "/x" and is refused).
 */
export function renamedPath(folder: string, source: string, newPath: string): string {
  const target = renameTarget(source, newPath);
  return target.startsWith('/') ? target.slice(1) : folder + target;
}
