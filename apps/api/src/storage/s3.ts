import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { FileStore } from './index.js';
import { assertStorageKey } from './keys.js';

export interface S3StoreConfig {
  bucket: string;
  region: string;
  /** an S3-compatible server (MinIO, Ceph, …); undefined: AWS */
  endpoint?: string | undefined;
  forcePathStyle: boolean;
  /** undefined: the AWS SDK's default credential chain (AWS_ACCESS_KEY_ID, instance roles, …) */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** prepended to every key, e.g. "kinerja/" */
  prefix: string;
}

const notFound = (err: unknown) =>
  err instanceof NoSuchKey || err instanceof NotFound || (typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'NotFound');

/** Objects in a bucket, one per key (`<prefix>sha256/ab/<hash>`); S3 writes a whole object or none. */
export class S3FileStore implements FileStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly config: S3StoreConfig) {
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      ...(config.credentials ? { credentials: config.credentials } : {}),
      // S3-compatible servers differ in the checksums they know: send and check them only where S3 requires them
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(key: string) {
    assertStorageKey(key);
    return `${this.config.prefix}${key}`;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key }));
      return;
    } catch (err) {
      if (!notFound(err)) throw err;
    }
    await this.client.send(new PutObjectCommand({ Bucket: this.config.bucket, Key, Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength }));
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
      return res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (notFound(err)) return null;
      throw err;
    }
  }

  destroy() {
    this.client.destroy();
  }
}
