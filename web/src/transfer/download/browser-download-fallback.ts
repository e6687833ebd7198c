/**
 * Downloads without the File System Access API (Firefox, Safari): each object's presigned URL is
 * handed to the browser's own download manager, one after another, `intervalMs` apart (browsers drop
 * or question bursts of automatic downloads). No progress, verification or folder structure: the
 * browser saves each file under the name the URL's Content-Disposition gives, in its download folder.
 */
import { isFolderMarker } from '../../../../server/shared/folder-marker.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { isAbortError } from '../shared/signals.ts';
import type { DownloadApi, DownloadRequest } from './download-api.ts';
import { DownloadError, fromApiError, toErrorInfo, type DownloadErrorInfo } from './errors.ts';
import { sanitizeSegment } from './key-to-relative-path.ts';

/**
 * `downloadInBrowser` in the browser (probes the link, then hands it off; rejects when the storage
 * refuses it); a recorder in tests.
 */
export type TriggerDownload = (
  link: { url: string; key: string; size: number },
  o: { filename: string; signal?: AbortSignal },
) => void | Promise<void>;

export type FallbackResult =
  | { key: string; status: 'handed-off'; filename: string }
  | { key: string; status: 'failed'; error: DownloadErrorInfo }
  | { key: string; status: 'cancelled' };

export interface BrowserDownloadFallbackOptions {
  intervalMs: number;
  clock: Clock;
  onResult?: (result: FallbackResult, index: number) => void;
}

export const DEFAULT_FALLBACK_OPTIONS = {
  intervalMs: 800,
  clock: systemClock,
} satisfies BrowserDownloadFallbackOptions;

/** Last segment of the key, made safe; what the browser is asked to name the file. */
export function fallbackFilename(key: string): string {
  const name = key
    .split('/')
    .filter((s) => s !== '')
    .pop();
  return name === undefined ? 'download' : sanitizeSegment(name);
}

export class BrowserDownloadFallback {
  readonly #api: DownloadApi;
  readonly #trigger: TriggerDownload;
  readonly #options: BrowserDownloadFallbackOptions;

  constructor(
    api: DownloadApi,
    trigger: TriggerDownload,
    options: Partial<BrowserDownloadFallbackOptions> = {},
  ) {
    this.#api = api;
    this.#trigger = trigger;
    this.#options = { ...DEFAULT_FALLBACK_OPTIONS, ...options };
  }

  /** Signs and hands off each object in turn; folder markers (empty, key ending in "/") are left out. */
  async run(items: readonly DownloadRequest[], o: { signal?: AbortSignal } = {}): Promise<FallbackResult[]> {
    const results: FallbackResult[] = [];
    const files = items.filter((item) => !isFolderMarker(item));
    for (const [index, item] of files.entries()) {
      let result: FallbackResult;
      if (o.signal?.aborted) {
        result = { key: item.key, status: 'cancelled' };
      } else {
        try {
          if (index > 0) await this.#options.clock.sleep(this.#options.intervalMs, { signal: o.signal });
          const link = await this.#api.link(item.key, { signal: o.signal });
          const filename = fallbackFilename(item.key);
          await this.#trigger(
            { url: link.url, key: item.key, size: link.size },
            { filename, signal: o.signal },
          );
          result = { key: item.key, status: 'handed-off', filename };
        } catch (error) {
          result =
            o.signal?.aborted || isAbortError(error)
              ? { key: item.key, status: 'cancelled' }
              : {
                  key: item.key,
                  status: 'failed',
                  // The storage refused the link (DownloadError), or the Hoist server refused to sign it.
                  error: toErrorInfo(error instanceof DownloadError ? error : fromApiError(item.key, error)),
                };
        }
      }
      results.push(result);
      this.#options.onResult?.(result, index);
    }
    return results;
  }
}
