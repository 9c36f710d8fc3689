/**
 * The evidence file store: bytes outside the database, addressed by their SHA-256 (the database row keeps the key,
 * size, type and hash). One interface, two places: a local directory (the embedded default, or a mounted volume in
 * production) and an S3-compatible bucket. The same bytes are stored once, however often they are uploaded.
 */
import { LocalFileStore } from './local.js';
import { S3FileStore, type S3StoreConfig } from './s3.js';

export interface FileStore {
  readonly kind: 'local' | 's3';
  /** stores `bytes` under `key` (a no-op when the key is already there: keys are content addresses) */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** the bytes under `key`, or null when there are none */
  get(key: string): Promise<Uint8Array | null>;
}

export type FileStoreConfig = { kind: 'local'; dir: string } | ({ kind: 's3' } & S3StoreConfig);

export function createFileStore(config: FileStoreConfig): FileStore {
  return config.kind === 'local' ? new LocalFileStore(config.dir) : new S3FileStore(config);
}

export { assertStorageKey, storageKeyFor } from './keys.js';
export { LocalFileStore } from './local.js';
export { S3FileStore, type S3StoreConfig } from './s3.js';
