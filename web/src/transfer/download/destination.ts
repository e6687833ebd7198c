/**
 * Where downloads are written. Paths are relative, "/"-separated, already made safe by
 * `keyToRelativePath`; a Destination never sees a key.
 */
export interface DestinationFile {
  /**
   * Writes `chunk` at byte `offset`; calls may arrive out of offset order (ranged downloads). A write
   * that fails errors the file for good, as it does a WritableStream: later writes and `close()` fail
   * too, what was written is lost, and only `abort()` is left.
   */
  write(offset: number, chunk: Uint8Array): Promise<void>;
  /** Commits the file: only now does it replace what was there. */
  close(): Promise<void>;
  /** Drops what was written; removes the file if this download created it. Never throws. */
  abort(): Promise<void>;
}

export interface Destination {
  /** The file (not a folder) at the path and its size, or null when there is none. */
  stat(relativePath: string, o?: { signal?: AbortSignal }): Promise<{ size: number } | null>;
  openFile(relativePath: string, o: { size: number; signal?: AbortSignal }): Promise<DestinationFile>;
  remove(relativePath: string, o?: { signal?: AbortSignal }): Promise<void>;
  /** Reads a committed file back (for checksums that cannot be computed range by range). Optional. */
  read?(relativePath: string, o?: { signal?: AbortSignal }): Promise<ReadableStream<Uint8Array>>;
}
