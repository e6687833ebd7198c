import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { DataDirError } from './local-s3/data-dir-error.ts';
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

  it('makes a data directory and a kept secret others could read or write its own only (0700, 0600)', async () => {
    await chmod(dir, 0o777);
    await writeFile(join(dir, 'hoist-secret'), `${'k'.repeat(40)}\n`, { mode: 0o644 });
    expect(await loadSecret(undefined, dir)).toBe('k'.repeat(40));
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'hoist-secret'))).mode & 0o777).toBe(0o600);
  });

  // Only root can give a file to another user here (CI runs as root).
  it.runIf(process.getuid?.() === 0)(
    "refuses a data directory or a secret another user made beforehand (in /tmp): they would know the store's keys",
    async () => {
      const planted = join(dir, 'planted');
      await mkdir(planted, { mode: 0o777 });
      await writeFile(join(planted, 'hoist-secret'), `${'a'.repeat(40)}\n`, { mode: 0o644 });
      await chown(planted, 65534, 65534);
      const refused = loadSecret(undefined, planted);
      await expect(refused).rejects.toBeInstanceOf(DataDirError);
      await expect(refused).rejects.toThrow(`${planted} belongs to another user (uid 65534`);
      // Only the secret file theirs: refused too, and left as it was.
      await chown(planted, 0, 0);
      await chown(join(planted, 'hoist-secret'), 65534, 65534);
      await expect(loadSecret(undefined, planted)).rejects.toThrow(
        `${join(planted, 'hoist-secret')} belongs to another user (uid 65534`,
      );
      expect((await stat(join(planted, 'hoist-secret'))).mode & 0o777).toBe(0o644);
    },
  );
});
