/**
 * The check a ranged download leaves for its committed file, whose hash does not combine across
 * ranges (a SHA, an MD5 ETag): the file is read back once and hashed in order.
 */
import { corruptError, matchEtag, type ReadBackCheck } from './download-object.ts';
import { EtagHasher } from './etag-hasher.ts';
import { feedStream, hashStream, type Verification } from './integrity.ts';

/** 'verified', or 'unverifiable' (an ETag whose part size was only guessed); throws 'corrupt'. */
export async function verifyReadBack(
  key: string,
  file: ReadableStream<Uint8Array>,
  check: ReadBackCheck,
  o: { signal?: AbortSignal } = {},
): Promise<Verification> {
  if (check.kind === 'checksum') {
    if ((await hashStream(file, check.algorithm, o)) !== check.expected) {
      throw corruptError(key, check.algorithm);
    }
    return 'verified';
  }
  const hasher = await EtagHasher.create(check.partSize, check.runs);
  await feedStream(file, hasher, o);
  return matchEtag(key, check, hasher.digest());
}
