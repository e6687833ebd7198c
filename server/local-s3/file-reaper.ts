import { removeQuietly } from './durable-fs.ts';

/**
 * Deletes data files once no reader holds them: a GET retains the files of the version it streams, so an
 * overwrite or delete never cuts an open download short.
 */
export class FileReaper {
  readonly #readers = new Map<string, number>();
  readonly #doomed = new Set<string>();

  retain(files: readonly string[]): void {
    for (const f of files) this.#readers.set(f, (this.#readers.get(f) ?? 0) + 1);
  }

  release(files: readonly string[]): void {
    for (const f of files) {
      const n = (this.#readers.get(f) ?? 1) - 1;
      if (n > 0) this.#readers.set(f, n);
      else {
        this.#readers.delete(f);
        if (this.#doomed.delete(f)) void removeQuietly(f);
      }
    }
  }

  async discard(files: readonly string[]): Promise<void> {
    await Promise.all(
      files.map(async (f) => {
        if (this.#readers.has(f)) this.#doomed.add(f);
        else await removeQuietly(f);
      }),
    );
  }
}
