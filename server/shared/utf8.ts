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

/**
 * A header value as Node (and so the AWS SDK) hands it over, one Latin-1 character per byte, read as
 * the UTF-8 its bytes are when they are (botocore and the AWS CLI send "résumé" so, and S3 keeps the
 * bytes): "rÃ©sumÃ©" → "résumé". Anything else, ASCII included, is left as it came.
 */
export function headerText(value: string): string;
export function headerText(value: string | undefined): string | undefined;
export function headerText(value: string | undefined): string | undefined {
  if (value === undefined || !/[\u0080-\u00ff]/.test(value)) return value;
  if ([...value].some((c) => c.charCodeAt(0) > 0xff)) return value; // text already, not bytes
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(value, (c) => c.charCodeAt(0)));
  } catch {
    return value; // not UTF-8: Latin-1 text, shown as it is
  }
}
