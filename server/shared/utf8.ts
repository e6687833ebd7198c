/** UTF-8 lengths, as file systems (ext4, APFS: 255 bytes a name) and S3 (1,024 bytes a key) count them. */

const bytesOf = (codePoint: number) =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) bytes += bytesOf(char.codePointAt(0)!);
  return bytes;
}

/** The longest start of `text` of at most `maxBytes` in UTF-8, never half of a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += bytesOf(char.codePointAt(0)!);
    if (bytes > maxBytes) return text.slice(0, end);
    end += char.length;
  }
  return text;
}
