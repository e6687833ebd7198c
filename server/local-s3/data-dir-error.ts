/**
 * The data dir cannot be used as it is: a metadata file the store cannot read or parse, or another store process
 * holding it. Start-up stops with this message (naming the file or the process) and has deleted nothing.
 */
export class DataDirError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DataDirError';
  }
}
