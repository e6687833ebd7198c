import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';
import { explainStartError } from './start-error.ts';

const config = parseConfig({ PORT: '8080', STORE_PORT: '9000', HOIST_DATA_DIR: '/srv/hoist' });
const message = (error: unknown) =>
  error instanceof ConfigError ? error.message : `not explained: ${String(error)}`;
/** What node:fs throws for a file another user owns. */
const fileError = (code: string) =>
  Object.assign(new Error(`${code}: open '/srv/hoist/store/.lock'`), { code, syscall: 'open' });

describe('explainStartError', () => {
  it('names the port for a socket that cannot listen, as node:net says it', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const second = createServer();
    const error = await new Promise<unknown>((r) => second.once('error', r).listen(port, '127.0.0.1'));
    taken.close();
    const at = { ...config, port, storePort: port };
    expect(message(explainStartError(error, at, 'port'))).toBe(
      `Cannot listen on 127.0.0.1:${port}: port ${port} is already in use (another Hoist?). Set PORT to a free port.`,
    );
    expect(message(explainStartError(error, at, 'store'))).toContain('Set STORE_PORT to a free port.');
  });

  it('blames the data directory, not the port, for a file the store may not open (EACCES, EPERM)', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const store = explainStartError(fileError(code), config, 'store');
      expect(store).not.toBeInstanceOf(ConfigError); // not the port's: left to the data directory's turn
      expect(message(explainStartError(store, config, 'data'))).toBe(
        `Cannot use the data directory ${resolve('/srv/hoist')} (${code}): set HOIST_DATA_DIR to a folder Hoist may write.`,
      );
    }
  });

  it('leaves other errors as they are', () => {
    const odd = new Error('something else');
    expect(explainStartError(odd, config, 'store')).toBe(odd);
  });
});
