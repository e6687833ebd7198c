import { describe, expect, it } from 'vitest';
import { parseStoreEnv } from './store-env.ts';

const defaults = { accessKeyId: 'id', secretAccessKey: 'secret' };

describe('parseStoreEnv', () => {
  it('takes STORE_PORT in decimal digits only, 0 for any free port', () => {
    expect(parseStoreEnv({}, defaults).port).toBe(9000);
    expect(parseStoreEnv({ STORE_PORT: '0' }, defaults).port).toBe(0);
    expect(parseStoreEnv({ STORE_PORT: '65535' }, defaults).port).toBe(65535);
    for (const bad of [' ', '1e3', '0x4775', '-1', '65536'])
      expect(() => parseStoreEnv({ STORE_PORT: bad }, defaults)).toThrow(
        `STORE_PORT must be a port number from 0 to 65535 (0: any free port), got ${JSON.stringify(bad)}`,
      );
  });
});
