import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { loadSecret } from './secret.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secret-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadSecret', () => {
  it('makes one the first time, keeps it in the data directory, and reads it back after', async () => {
    const made = await loadSecret(undefined, dir);
    expect(made.length).toBeGreaterThanOrEqual(32);
    expect((await readFile(join(dir, 'hoist-secret'), 'utf8')).trim()).toBe(made);
    expect(await loadSecret(undefined, dir)).toBe(made);
    expect(await loadSecret('x'.repeat(40), dir)).toBe('x'.repeat(40));
  });

  it('refuses a kept secret shorter than HOIST_SECRET may be (edited, or left empty by a failed start)', async () => {
    for (const text of ['', 'mysecret\n']) {
      await writeFile(join(dir, 'hoist-secret'), text);
      const refused = loadSecret(undefined, dir);
      await expect(refused).rejects.toBeInstanceOf(ConfigError);
      await expect(refused).rejects.toThrow(/hoist-secret holds a secret of \d+ characters; it needs 32/);
    }
  });
});
