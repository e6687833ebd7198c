/**
 * A Destination in memory, with the same commit-on-close semantics as the File System Access API:
 * writes go to a scratch buffer, `flush()` ends them (`read()` then gives them back), `close()` replaces
 * the file, `abort()` (also after a flush) leaves the previous file as it was. A failed write errors the file for good, as it does a WritableStream: every later write and the
 * close fail with the same error, and only `abort()` is left. For tests, and for small in-page uses.
 */
import type { Destination, DestinationFile } from './destination.ts';
import { foldPath } from './key-to-relative-path.ts';

export class MemoryDestination implements Destination {
  /** Committed files by relative path. */
  readonly files = new Map<string, Uint8Array>();
  /** Files open for writing (partials), by relative path. */
  readonly open = new Map<string, Uint8Array>();
  /** Set to make every write fail (a permission withdrawn, say). */
  failWrites: Error | null = null;
  /** What `requestAccess` answers: true lets writes through again (clears `failWrites`). */
  grantAccess = true;
  /** How many times `requestAccess` was asked. */
  accessRequests = 0;
  /**
   * Bytes the "disk" holds, committed and open files together: a write past it throws
   * QuotaExceededError, as the browser does when the disk or its storage quota is full.
   */
  capacity = Infinity;
  /**
   * Names equal ignoring case are one file, as on Windows and macOS: "report.pdf" finds, and replaces,
   * "Report.pdf" (which keeps its name).
   */
  ignoreCase = false;
  #used = 0;

  constructor(initial: Record<string, Uint8Array | string> = {}) {
    for (const [path, data] of Object.entries(initial)) {
      this.files.set(path, typeof data === 'string' ? new TextEncoder().encode(data) : data);
    }
  }

  /** The name the file at `relativePath` has, if there is one (its own spelling when case is ignored). */
  #name(relativePath: string): string {
    if (!this.ignoreCase || this.files.has(relativePath)) return relativePath;
    const folded = foldPath(relativePath);
    for (const name of this.files.keys()) if (foldPath(name) === folded) return name;
    return relativePath;
  }

  async stat(relativePath: string): Promise<{ size: number } | null> {
    const data = this.files.get(this.#name(relativePath));
    return data ? { size: data.byteLength } : null;
  }

  async openFile(relativePath: string, o: { size: number; signal?: AbortSignal }): Promise<DestinationFile> {
    o.signal?.throwIfAborted();
    let buffer = new Uint8Array(0);
    let length = 0;
    let state: 'open' | 'flushed' | 'closed' | 'aborted' = 'open';
    /** What the failed write threw: the file stays errored with it. */
    let errored: unknown = null;
    this.open.set(relativePath, buffer);
    const assertOpen = () => {
      if (state !== 'open') throw new TypeError(`"${relativePath}" is ${state}`);
      if (errored !== null) throw errored;
    };
    const fail = (error: unknown): never => {
      errored = error;
      throw error;
    };
    return {
      write: async (offset, chunk) => {
        assertOpen();
        if (this.failWrites) fail(this.failWrites);
        const end = offset + chunk.byteLength;
        const growth = Math.max(0, end - length);
        if (this.#used + growth > this.capacity) {
          fail(new DOMException('The disk is full.', 'QuotaExceededError'));
        }
        this.#used += growth;
        if (end > buffer.byteLength) {
          const grown = new Uint8Array(Math.max(end, buffer.byteLength * 2));
          grown.set(buffer.subarray(0, length));
          buffer = grown;
          this.open.set(relativePath, buffer);
        }
        buffer.set(chunk, offset);
        length = Math.max(length, end);
      },
      flush: async () => {
        assertOpen();
        state = 'flushed';
      },
      read: async () => {
        if (state !== 'flushed') throw new TypeError(`"${relativePath}" is ${state}, not flushed`);
        return new Blob([buffer.slice(0, length)]).stream();
      },
      close: async () => {
        if (state === 'open') assertOpen();
        else if (state !== 'flushed') throw new TypeError(`"${relativePath}" is ${state}`);
        state = 'closed';
        this.open.delete(relativePath);
        const name = this.#name(relativePath);
        this.#used -= this.files.get(name)?.byteLength ?? 0;
        this.files.set(name, buffer.slice(0, length));
      },
      abort: async () => {
        if (state !== 'open' && state !== 'flushed') return;
        state = 'aborted';
        this.open.delete(relativePath);
        this.#used -= length;
      },
    };
  }

  async requestAccess(): Promise<boolean> {
    this.accessRequests++;
    if (this.grantAccess) this.failWrites = null;
    return this.grantAccess;
  }

  async remove(relativePath: string): Promise<void> {
    const name = this.#name(relativePath);
    this.#used -= this.files.get(name)?.byteLength ?? 0;
    this.files.delete(name);
  }

  text(relativePath: string): string | undefined {
    const data = this.files.get(relativePath);
    return data && new TextDecoder().decode(data);
  }
}
