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
  /**
   * Ends the writing: the bytes are saved, but (where the file has a partial name) do not replace what
   * is at the real name yet, so they can be read back and checked first. `close()` does it if not done.
   */
  flush(): Promise<void>;
  /** The flushed bytes, read back (for checksums that cannot be computed range by range). Optional. */
  read?(o?: { signal?: AbortSignal }): Promise<ReadableStream<Uint8Array>>;
  /** Commits the file: only now does it replace what was there. */
  close(): Promise<void>;
  /**
   * Drops what was written, flushed or not; removes the file if this download created it. Never throws.
   * After a flush of a file that has no partial name (one write), that file is removed.
   */
  abort(): Promise<void>;
}

export interface Destination {
  /**
   * The folder's name as its user knows it (the picked folder's): rows name it when downloads go to
   * more than one folder. Optional.
   */
  readonly name?: string;
  /** The file (not a folder) at the path and its size, or null when there is none. */
  stat(relativePath: string, o?: { signal?: AbortSignal }): Promise<{ size: number } | null>;
  openFile(relativePath: string, o: { size: number; signal?: AbortSignal }): Promise<DestinationFile>;
  remove(relativePath: string, o?: { signal?: AbortSignal }): Promise<void>;
  /**
   * The folders picked before this one that it lies in, or that lie in it (a download into "Downloads"
   * and another into "Downloads/photos"): a file here can be one of theirs. Optional.
   */
  readonly overlaps?: readonly FolderOverlap[];
  /**
   * Asks the user to let the page write to the folder again (after its permission was withdrawn);
   * whether it may. Must be called in a click's turn (the browser asks only then). Optional.
   */
  requestAccess?(): Promise<boolean>;
}

/** Where another folder lies, seen from this one. */
export interface FolderOverlap {
  destination: Destination;
  /** 'inside': this folder is at `path` in it; 'around': it is at `path` in this folder. */
  relation: 'inside' | 'around';
  /** "/"-separated folder names. */
  path: string;
}
