/**
 * The estimate of how far the parts in flight of every file have got (sending-estimate.ts), shown
 * anew every `ESTIMATE_TICK_MS` while parts are in flight, so bars move between part answers.
 */
import type { Clock } from '../shared/clock.ts';
import type { OnlineSource } from '../shared/online.ts';
import {
  advance,
  expectedPartMs,
  partsInFlight,
  sendingBytes,
  startSending,
  type SendingState,
} from './sending-estimate.ts';

/** How often the estimate of the parts in flight is shown anew: at most 4 renders a second for it. */
export const ESTIMATE_TICK_MS = 250;

export interface SendingTickerOptions {
  clock: Clock;
  online: OnlineSource;
  /** The timer stops for good when this aborts (the engine is destroyed). */
  signal: AbortSignal;
  /**
   * Shows a file's estimated bytes in flight, and how long its parts in flight are expected to take
   * (`expectedPartMs`, null when not known).
   */
  show: (id: string, bytes: number, partMs: number | null) => void;
}

export class SendingTicker {
  readonly #o: SendingTickerOptions;
  /** The parts in flight of every file, and how far they have got (estimated). */
  #sending: SendingState;
  /** The estimate's timer runs (only while parts are in flight). */
  #ticking = false;

  constructor(o: SendingTickerOptions) {
    this.#o = o;
    this.#sending = startSending(o.clock.now());
  }

  /** Changes the estimate (`showId`: and shows that file's at once); the timer runs while parts are in flight. */
  change(change: (state: SendingState) => SendingState, showId?: string): void {
    this.#sending = change(this.#sending);
    if (showId !== undefined) this.show(showId);
    if (this.#ticking || partsInFlight(this.#sending) === 0 || this.#o.signal.aborted) return;
    this.#ticking = true;
    const { clock, online, signal } = this.#o;
    void (async () => {
      try {
        while (partsInFlight(this.#sending) > 0) {
          await clock.sleep(ESTIMATE_TICK_MS, { signal });
          this.#sending = advance(this.#sending, clock.now(), online.isOnline());
          for (const id of new Set(this.#sending.parts.map((p) => p.file))) this.show(id);
        }
      } catch {
        // destroyed
      } finally {
        this.#ticking = false;
      }
    })();
  }

  /** Shows the file's estimate as it is now. */
  show(id: string): void {
    this.#o.show(id, sendingBytes(this.#sending, id), expectedPartMs(this.#sending, id));
  }
}
