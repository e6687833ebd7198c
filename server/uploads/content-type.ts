/**
 * The Content-Type an upload is stored with when the user set none: the browser's `File.type`, as the
 * S3 console and Uppy take it; where the browser knows none (an extension its platform has no entry for:
 * ".webmanifest", ".md", ".heic" on many Linux desktops) the name's extension looked up, as Uppy's
 * `getFileType` and the AWS CLI's `guess_type` do, rather than the store's "binary/octet-stream" that a
 * browser then offers to save instead of showing. Pure.
 */
import mime from 'mime';
import { MIME } from '../shared/object-properties.ts';

export const UNKNOWN_TYPE = 'application/octet-stream';

/** `browserType`: the picked file's `type` ("" when the browser could not tell). */
export function contentTypeFor(name: string, browserType: string): string {
  if (MIME.test(browserType)) return browserType;
  return mime.getType(name) ?? UNKNOWN_TYPE;
}
