/**
 * Just enough of the File System Access API, in memory, with its semantics: writable streams write to
 * a swap copy that `close()` commits and `abort()` discards, and a failed write errors the stream for
 * good (later writes and `close()` fail with the same error; the swap copy is lost); missing entries
 * throw NotFoundError, entries of the other kind TypeMismatchError. As in Chromium (its file locks,
 * seen in Chromium 156), a file with a writable open can be neither removed nor moved onto:
 * NoModificationAllowedError.
 */
type Entry = FakeDirectory | FakeFile;

const notFound = (name: string) => new DOMException(`${name} not found`, 'NotFoundError');
const mismatch = (name: string) => new DOMException(`${name} is the other kind`, 'TypeMismatchError');
const locked = (name: string) =>
  new DOMException(`${name} is being written (a lock is held)`, 'NoModificationAllowedError');
/** Whether `entry` is a file with a writable open on it (Chromium locks it then). */
const isWritten = (entry: Entry | undefined) => entry instanceof FakeFile && entry.openWritables > 0;

export class FakeFile {
  readonly kind = 'file';
  data = new Uint8Array(0);
  openWritables = 0;
  constructor(
    public name: string,
    private readonly parent?: FakeDirectory,
  ) {}

  /** Renames the file in its folder, replacing a file of that name (as Chromium's `move()`). */
  async move(newName: string): Promise<void> {
    const parent = this.parent;
    if (!parent || parent.noMove) throw new DOMException('move() is not supported', 'NotSupportedError');
    if (parent.entries.get(newName) instanceof FakeDirectory) throw mismatch(newName);
    if (isWritten(parent.entries.get(newName))) throw locked(newName);
    parent.entries.delete(this.name);
    this.name = newName;
    parent.entries.set(newName, this);
  }

  async getFile(): Promise<File> {
    return new File([this.data.slice()], this.name);
  }

  async createWritable(o: { keepExistingData?: boolean } = {}) {
    if (this.parent?.failOpen) throw this.parent.failOpen;
    let swap = o.keepExistingData ? this.data.slice() : new Uint8Array(0);
    this.openWritables++;
    let open = true;
    let errored: unknown = null;
    const done = () => {
      if (!open) throw new TypeError('stream closed');
      open = false;
      this.openWritables--;
    };
    return {
      write: async (params: { type: 'write'; position: number; data: Uint8Array }) => {
        if (!open) throw new TypeError('stream closed');
        if (errored !== null) throw errored;
        if (this.parent?.failWrites) throw (errored = this.parent.failWrites);
        const end = params.position + params.data.byteLength;
        if (end > swap.byteLength) {
          const grown = new Uint8Array(end);
          grown.set(swap);
          swap = grown;
        }
        swap.set(params.data, params.position);
      },
      close: async () => {
        if (errored !== null) throw errored; // still open: only abort() ends it
        done();
        if (this.parent?.failClose) throw this.parent.failClose;
        this.data = swap;
      },
      abort: async () => {
        done();
      },
    };
  }
}

export class FakeDirectory {
  readonly kind = 'directory';
  readonly entries = new Map<string, Entry>();
  /** Makes `move()` refuse, as a browser without it. */
  noMove = false;
  /** Makes opening a writable on its files fail (no room for the swap file). */
  failOpen: Error | null = null;
  /** Makes writes to its files' writables fail (each failure errors its stream), as on a full disk. */
  failWrites: Error | null = null;
  /** Makes closing its files' writables fail (the swap file not committed), as on a full disk. */
  failClose: Error | null = null;
  constructor(readonly name = '') {}

  async getDirectoryHandle(name: string, o: { create?: boolean } = {}): Promise<FakeDirectory> {
    const entry = this.entries.get(name);
    if (entry instanceof FakeDirectory) return entry;
    if (entry) throw mismatch(name);
    if (!o.create) throw notFound(name);
    const dir = new FakeDirectory(name);
    dir.noMove = this.noMove;
    this.entries.set(name, dir);
    return dir;
  }

  async getFileHandle(name: string, o: { create?: boolean } = {}): Promise<FakeFile> {
    const entry = this.entries.get(name);
    if (entry instanceof FakeFile) return entry;
    if (entry) throw mismatch(name);
    if (!o.create) throw notFound(name);
    const file = new FakeFile(name, this);
    this.entries.set(name, file);
    return file;
  }

  async removeEntry(name: string): Promise<void> {
    if (isWritten(this.entries.get(name))) throw locked(name);
    if (!this.entries.delete(name)) throw notFound(name);
  }

  /** "a/b/c.txt" → the file's text, or undefined. */
  text(path: string): string | undefined {
    const parts = path.split('/');
    const dir = parts.slice(0, -1).reduce<FakeDirectory | undefined>((d, part) => {
      const next = d?.entries.get(part);
      return next instanceof FakeDirectory ? next : undefined;
    }, this);
    const file = dir?.entries.get(parts.at(-1) ?? '');
    return file instanceof FakeFile ? new TextDecoder().decode(file.data) : undefined;
  }

  /** Every path under this folder, files and folders ("a/", "a/b.txt"), sorted. */
  list(prefix = ''): string[] {
    const out: string[] = [];
    for (const [name, entry] of this.entries) {
      if (entry instanceof FakeDirectory) out.push(`${prefix}${name}/`, ...entry.list(`${prefix}${name}/`));
      else out.push(`${prefix}${name}`);
    }
    return out.sort();
  }

  asHandle(): FileSystemDirectoryHandle {
    return this as unknown as FileSystemDirectoryHandle;
  }
}
