/** What a listed name looks like it holds, by its extension: picks the row's icon. */
export type FileKind = 'image' | 'video' | 'audio' | 'archive' | 'document' | 'file';

const KINDS: Record<Exclude<FileKind, 'file'>, readonly string[]> = {
  image: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'heic', 'avif', 'bmp', 'tif', 'tiff'],
  video: ['mp4', 'mov', 'mkv', 'webm', 'avi', 'm4v'],
  audio: ['mp3', 'wav', 'flac', 'ogg', 'm4a', 'aac', 'opus'],
  archive: ['zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'tar', 'zst'],
  document: [
    'pdf',
    'doc',
    'docx',
    'txt',
    'md',
    'odt',
    'rtf',
    'csv',
    'xls',
    'xlsx',
    'ods',
    'ppt',
    'pptx',
    'odp',
  ],
};

export function fileKind(name: string): FileKind {
  const dot = name.lastIndexOf('.');
  // No extension, or a name that is only one (".env"): nothing to go by.
  if (dot <= 0 || dot === name.length - 1) return 'file';
  const ext = name.slice(dot + 1).toLowerCase();
  for (const [kind, exts] of Object.entries(KINDS)) if (exts.includes(ext)) return kind as FileKind;
  return 'file';
}
