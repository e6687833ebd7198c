import { chmod, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirectory, makePrivate } from './make-dir.ts';

describe('makeDirectory', () => {
  let root: string;
  beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'hoist-mkdir-'))));
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('makes every missing level, and is content with a directory already there', async () => {
    await makeDirectory(join(root, 'a/b/c'));
    expect((await stat(join(root, 'a/b/c'))).isDirectory()).toBe(true);
    await makeDirectory(join(root, 'a/b/c'));
    await makeDirectory(root);
  });

  it('makes each level for its owner only (0700): other users of the machine cannot read the objects', async () => {
    await makeDirectory(join(root, 'data/store'));
    for (const dir of ['data', 'data/store']) expect((await stat(join(root, dir))).mode & 0o777).toBe(0o700);
  });

  it('says ENOTDIR when a file stands in the way', async () => {
    await writeFile(join(root, 'file'), 'x');
    await expect(makeDirectory(join(root, 'file/sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(makeDirectory(join(root, 'file'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('does not take a symlink to nowhere for the directory', async () => {
    await symlink(join(root, 'nowhere'), join(root, 'dangling'));
    await expect(makeDirectory(join(root, 'dangling'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(makeDirectory(join(root, 'dangling/sub'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails with ENOENT under /proc, where a recursive mkdir never returns', async () => {
    await expect(makeDirectory('/proc/hoist-nope/data')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('makes the same tree from two calls at once', async () => {
    await Promise.all([makeDirectory(join(root, 'x/y/z')), makeDirectory(join(root, 'x/y/z'))]);
    expect((await stat(join(root, 'x/y/z'))).isDirectory()).toBe(true);
  });
});

describe('makePrivate', () => {
  let root: string;
  beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'hoist-private-'))));
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('makes a directory an older version left readable by everyone its owner’s only, once', async () => {
    const dir = join(root, 'store');
    await mkdir(dir);
    await chmod(dir, 0o755);
    expect(await makePrivate(dir)).toBe(true);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await makePrivate(dir)).toBe(false);
  });
});
