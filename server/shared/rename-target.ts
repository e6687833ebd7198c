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
