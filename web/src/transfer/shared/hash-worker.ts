/**
 * Web Worker entry: hashes blobs off the main thread. Messages: `{ id, blob, algorithm }` to hash,
 * `{ id, cancel: true }` to stop; answers `{ id, ok: true, value }` or `{ id, ok: false, message, aborted }`.
 */
import { hashBlob, type HashAlgorithm } from './hasher.ts';

export type HashWorkerRequest =
  { id: number; blob: Blob; algorithm: HashAlgorithm } | { id: number; cancel: true };
export type HashWorkerResponse =
  { id: number; ok: true; value: string } | { id: number; ok: false; message: string; aborted: boolean };

interface WorkerScope {
  onmessage: ((event: MessageEvent<HashWorkerRequest>) => void) | null;
  postMessage(message: HashWorkerResponse): void;
}

const scope = self as unknown as WorkerScope;
const running = new Map<number, AbortController>();

scope.onmessage = (event) => {
  const message = event.data;
  if ('cancel' in message) {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  hashBlob(message.blob, message.algorithm, { signal: controller.signal })
    .then(
      (value) => scope.postMessage({ id: message.id, ok: true, value }),
      (error: unknown) =>
        scope.postMessage({
          id: message.id,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
          aborted: controller.signal.aborted,
        }),
    )
    .finally(() => running.delete(message.id));
};
