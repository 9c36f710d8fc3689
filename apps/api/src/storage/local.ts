import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileStore } from './index.js';
import { assertStorageKey } from './keys.js';

const isMissing = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

/**
 * Files in a directory, one file per key (`<dir>/sha256/ab/<hash>`). A write goes to `<dir>/tmp/` first and is renamed
 * into place, so a crash never leaves a half-written file under a key; tmp/ is on the same file system, so the
 * rename is atomic.
 */
export class LocalFileStore implements FileStore {
  readonly kind = 'local' as const;
  constructor(readonly dir: string) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    assertStorageKey(key);
    const target = join(this.dir, key);
    if (await exists(target)) return;
    const tmpDir = join(this.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(tmpDir, `${randomUUID()}.part`);
    try {
      await writeFile(tmp, bytes, { flag: 'wx' });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    assertStorageKey(key);
    try {
      return new Uint8Array(await readFile(join(this.dir, key)));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }
}
