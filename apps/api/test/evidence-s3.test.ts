/**
 * The S3-compatible file store against a real S3 server run by the test (s3rver on a free port, its objects in a
 * temporary directory): put, get, a missing key, the key prefix, and an upload and download through the app.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3FileStore, storageKeyFor, type S3StoreConfig } from '../src/storage/index.js';
import { fakeEvaluation, json, NIPS, setup, type Fixture } from './helpers.js';

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: { port: number; address: string; silent: boolean; directory: string; configureBuckets: { name: string }[] }) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

const BUCKET = 'kinerja-evidence';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('S3 file store (s3rver)', () => {
  let server: S3rverInstance;
  let dir: string;
  let config: S3StoreConfig;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinerja-s3-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
    const { port } = await server.run();
    config = { bucket: BUCKET, region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials, prefix: 'bukti/' };
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('puts and gets bytes under the prefixed key; a missing key is null; a second put of the key is a no-op', async () => {
    const store = new S3FileStore(config);
    const bytes = new TextEncoder().encode('bulan,jumlah\nJanuari,330\n');
    const key = storageKeyFor(sha(bytes));
    expect(await store.get(key)).toBeNull();
    await store.put(key, bytes, 'text/csv');
    await store.put(key, bytes, 'text/csv');
    expect(await store.get(key)).toEqual(bytes);

    const raw = new S3Client({ region: config.region, endpoint: config.endpoint, forcePathStyle: true, credentials });
    const obj = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: `bukti/${key}` }));
    expect(obj.ContentType).toBe('text/csv');
    expect(await obj.Body?.transformToByteArray()).toEqual(bytes);
    raw.destroy();
    store.destroy();
  });

  it('refuses keys that are not content addresses', async () => {
    const store = new S3FileStore(config);
    await expect(store.get('../etc/passwd')).rejects.toThrow(/not a storage key/);
    store.destroy();
  });

  describe.each([dbKinds().includes('postgres') ? ('postgres' as const) : ('pglite' as const)])('through the app (%s)', (kind) => {
    let f: Fixture;
    beforeAll(async () => {
      f = await setup(kind, { config: { fileStore: { kind: 's3', ...config } } });
    }, 180_000);
    afterAll(() => f?.close());

    it('an upload lands in the bucket and downloads from it', async () => {
      const ev = await fakeEvaluation(f, 'staff1', { phase: 'PERIODIC' });
      const token = await f.login(NIPS.staff1);
      const pdf = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
      const body = new FormData();
      body.append('file', new File([pdf], 'rekap.pdf', { type: 'application/pdf' }));
      const res = await f.app.request(`/evaluations/${ev.id}/periods/2/evidence`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
      const up = await json<{ fileId: string; sha256: string }>(res);
      expect(res.status, JSON.stringify(up)).toBe(201);
      expect(up.sha256).toBe(sha(pdf));
      expect(await new S3FileStore(config).get(storageKeyFor(sha(pdf)))).toEqual(pdf);
      const down = await f.app.request(`/evaluations/${ev.id}/evidence/${up.fileId}`, { headers: { authorization: `Bearer ${token}` } });
      expect(down.status).toBe(200);
      expect(new Uint8Array(await down.arrayBuffer())).toEqual(pdf);
    });
  });
});
