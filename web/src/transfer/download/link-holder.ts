/**
 * The presigned link of one object download, shared by its ranges. A request that fails with 403 asks
 * for a fresh link: several ranges failing together cause one `api.link` call (single flight), a range
 * that used an older link just retries with the current one, and a link that was re-signed and then
 * refused again before any request succeeded is not re-signed a second time (the 403 is real).
 * A link about to expire is renewed before it is used; when it expires is measured by the server's
 * clock (`localExpiry`), as the browser's can be minutes off.
 */
import type { DownloadLink } from '../../../../server/shared/api-types.ts';
import { DownloadError } from './errors.ts';
import { localExpiry } from '../shared/local-expiry.ts';

/** Links this close to expiry are renewed before the next request rather than after a 403. */
export const EXPIRY_MARGIN_MS = 30_000;

export class LinkHolder {
  #link: DownloadLink;
  /** When `#link` expires by `#now` (see `localExpiry`). */
  #expiry: number;
  readonly #now: () => number;
  #generation = 0;
  #resignedSinceSuccess = false;
  #pending: Promise<void> | null = null;
  readonly #resign: (o: { signal?: AbortSignal }) => Promise<DownloadLink>;

  /**
   * `now`: the clock `ensureFresh` is given times of; `receivedAt`: when `link` arrived by it (default:
   * now, for a link just fetched).
   */
  constructor(
    link: DownloadLink,
    resign: (o: { signal?: AbortSignal }) => Promise<DownloadLink>,
    o: { now?: () => number; receivedAt?: number } = {},
  ) {
    this.#link = link;
    this.#resign = resign;
    this.#now = o.now ?? Date.now;
    this.#expiry = localExpiry(link, o.receivedAt ?? this.#now());
  }

  get link(): DownloadLink {
    return this.#link;
  }

  get generation(): number {
    return this.#generation;
  }

  /** A request with the current link got an answer the link was accepted for. */
  succeeded(): void {
    this.#resignedSinceSuccess = false;
  }

  /** Re-signs ahead of time when the link expires within `marginMs` (no 403 needed). */
  async ensureFresh(now: number, o: { signal?: AbortSignal; marginMs?: number } = {}): Promise<void> {
    if (this.#pending) return this.#pending;
    if (this.#expiry - now > (o.marginMs ?? EXPIRY_MARGIN_MS)) return;
    return this.#renew(o);
  }

  /**
   * After a 403 on a request made with link `generation`. Resolves when a newer link is in place;
   * throws `refused` when re-signing again would not help.
   */
  async refresh(generation: number, refused: DownloadError, o: { signal?: AbortSignal } = {}): Promise<void> {
    if (generation < this.#generation) return;
    if (this.#pending) return this.#pending;
    if (this.#resignedSinceSuccess) throw refused;
    this.#resignedSinceSuccess = true;
    return this.#renew(o);
  }

  async #renew(o: { signal?: AbortSignal }): Promise<void> {
    const pending = this.#resign(o).then((fresh) => {
      if (fresh.etag !== this.#link.etag || fresh.size !== this.#link.size) {
        throw new DownloadError(
          'changed',
          `"${fresh.key}" changed on the server during the download; retry to fetch the new version.`,
        );
      }
      this.#link = fresh;
      this.#expiry = localExpiry(fresh, this.#now());
      this.#generation++;
    });
    this.#pending = pending;
    try {
      await pending;
    } finally {
      this.#pending = null;
    }
  }
}
