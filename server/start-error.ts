import { resolve } from 'node:path';
import { ConfigError, type Config } from './config.ts';
import { DataDirError } from './local-s3/data-dir-error.ts';

/** Turns what the machine refuses (a taken port, a data dir we cannot write) into the setting to change. */
export function explainStartError(
  error: unknown,
  config: Readonly<Config>,
  what: 'port' | 'store' | 'data',
): unknown {
  // A damaged metadata file, or another store on the data dir: the message names it.
  if (error instanceof DataDirError) return new ConfigError(error.message);
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  // Only an error of the socket is the port's or HOST's: EACCES opening a file in the store's data
  // directory (owned by another user) is the data directory's.
  const ofSocket = syscall === 'listen' || syscall === 'bind' || syscall === 'getaddrinfo';
  if (ofSocket && ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND'].includes(code ?? '')) {
    if (what === 'port' || what === 'store') {
      const [name, port] = what === 'port' ? ['PORT', config.port] : ['STORE_PORT', config.storePort];
      const why =
        code === 'EADDRINUSE'
          ? `port ${port} is already in use (another Hoist?)`
          : code === 'EACCES'
            ? `port ${port} needs more privileges`
            : code === 'ENOTFOUND'
              ? `${config.host} is no name or address this machine knows (HOST)`
              : `${config.host} is no address of this machine (HOST)`;
      const fix =
        code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? 'Set HOST to an address of this machine (127.0.0.1, or 0.0.0.0 for all of them).'
          : `Set ${name} to a free port.`;
      return new ConfigError(`Cannot listen on ${config.host}:${port}: ${why}. ${fix}`);
    }
  }
  if (what === 'data' && code && ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC', 'ENOENT'].includes(code)) {
    return new ConfigError(
      `Cannot use the data directory ${resolve(config.dataDir)} (${code}): set HOIST_DATA_DIR to a folder Hoist may write.`,
    );
  }
  return error;
}
