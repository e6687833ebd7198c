/**
 * The engine's only way to the Hoist server. The app implements it with `hc<AppType>`; tests script it.
 * Implementations throw `ApiError` for every failed call (status 0 when there was no answer).
 */
import type {
  AbortResult,
  CompletedUpload,
  CreateUploadRequest,
  KeyExists,
  ListedParts,
  SignedParts,
  UploadPlan,
} from '../../../../server/shared/api-types.ts';
import { ApiError } from '../shared/api-error.ts';
import type { StoreAnswer } from '../shared/store-probe.ts';
import { UploadError } from './upload-error.ts';

export { ApiError, isServerUnreachable } from '../shared/api-error.ts';

export interface UploadApi {
  /** KeyExists when the key is taken and `req.onConflict` is unset. */
  create(req: CreateUploadRequest, o?: { signal?: AbortSignal }): Promise<UploadPlan | KeyExists>;
  /**
   * `replace`: the user chose to replace what is at the key; else a single PUT is signed `If-None-Match: *`.
   * `replaceIf`: the ETag of what the user chose to replace; the single PUT is then signed `If-Match` it.
   * The answer carries a refreshed token (its expiry slides while the upload goes on), as does listParts.
   */
  signParts(
    token: string,
    parts: { partNumber: number; checksum?: string }[],
    o?: { signal?: AbortSignal; replace?: boolean; replaceIf?: string },
  ): Promise<SignedParts>;
  listParts(token: string, o?: { signal?: AbortSignal }): Promise<ListedParts>;
  /**
   * KeyExists when an object appeared at the key since create and `replace` is not set, or when the
   * key holds another object than `replaceIf` (written after the user chose to replace).
   * `check`: only asks whether the upload was completed as these parts (alreadyCompleted), which the
   * server says only when the store proves it; never completes it (404 no-such-upload otherwise).
   */
  complete(
    token: string,
    parts: { partNumber: number; etag: string; checksum?: string }[],
    o?: { signal?: AbortSignal; replace?: boolean; replaceIf?: string; check?: boolean },
  ): Promise<CompletedUpload | KeyExists>;
  /**
   * `sent`: a single PUT was sent and then aborted by the page; it may still land, so the server looks for
   * it a moment longer before it says nothing is left (already-completed if it landed).
   */
  abort(token: string, o?: { signal?: AbortSignal; sent?: boolean }): Promise<AbortResult>;
  /**
   * Whether the Hoist server reaches the store now: asked when part requests get no answer, to tell a
   * store that is down (wait for it) from a path only this browser lacks (retry, re-signed), and from
   * a store that answers with an error (`problem`: the bucket deleted, the key deactivated…; the file
   * fails with it).
   */
  storeReachable(o?: { signal?: AbortSignal }): Promise<StoreAnswer>;
}

export function isKeyExists<T extends object>(answer: T | KeyExists): answer is KeyExists {
  return 'error' in answer;
}

/**
 * The server does not take the upload's token as its own (403 token-bad-signature / token-malformed):
 * it was signed with another HOIST_SECRET (changed, or another server). It will never be accepted.
 */
export function isTokenForeign(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.code === 'token-bad-signature' || error.code === 'token-malformed')
  );
}

/** The upload's token has run out (410): the server will not continue it; the janitor removes its parts. */
export function isTokenExpired(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'token-expired' || error.status === 410);
}

/**
 * The Hoist server answered, but could not reach the store (503 store-unreachable): the store is
 * stopped or restarting. Worth waiting for (once the page's StoreProbe agrees) rather than spending retries.
 */
export function isStoreUnreachable(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'store-unreachable';
}

/**
 * The parts a Complete was refused for, by number: 409 parts-missing (not on the store, or of another
 * size) or part-mismatch (another part under that number than the one this page sent). Else null.
 */
export function partsRefused(error: unknown): number[] | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  if (error.code !== 'parts-missing' && error.code !== 'part-mismatch') return null;
  const body = (error.cause ?? {}) as { missing?: unknown; wrongSize?: unknown };
  const numbers = [body.missing, body.wrongSize]
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .filter((n): n is number => Number.isSafeInteger(n) && n >= 1);
  return numbers.length > 0 ? [...new Set(numbers)] : null;
}

/** The server no longer has the upload (the API's 404, or S3's NoSuchUpload to a part): nothing left to abort. */
export function isGone(error: unknown): boolean {
  if (error instanceof UploadError) return error.code === 'no-such-upload';
  return error instanceof ApiError && (error.status === 404 || error.code === 'no-such-upload');
}
