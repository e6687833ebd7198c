import type { OnlineSource } from '../online.ts';

export class FakeOnline implements OnlineSource {
  online = true;
  readonly #listeners = new Set<() => void>();

  isOnline(): boolean {
    return this.online;
  }

  subscribe(callback: () => void): () => void {
    this.#listeners.add(callback);
    return () => this.#listeners.delete(callback);
  }

  set(online: boolean): void {
    this.online = online;
    for (const listener of [...this.#listeners]) listener();
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
