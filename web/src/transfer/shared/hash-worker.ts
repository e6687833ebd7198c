/**
 * Web Worker entry: hashes blobs off the main thread, one at a time in the order asked (so the part
 * needed first is ready first, instead of every queued part finishing together). Messages: `{ id, blob, algorithm }` to hash,
 * `{ id, cancel: true }` to stop; answers `{ id, ok: true, value }` or `{ id, ok: false, message, aborted }`.
 */
import { hashBlob, type HashAlgorithm } from './hasher.ts';
import { serialQueue } from './serial-queue.ts';

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
const inOrder = serialQueue();

scope.onmessage = (event) => {
  const message = event.data;
  if ('cancel' in message) {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  // A job cancelled while queued fails at once when its turn comes (hashBlob checks the signal first).
  inOrder(() => hashBlob(message.blob, message.algorithm, { signal: controller.signal }))
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
