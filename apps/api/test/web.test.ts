/**
 * The web app served from `webRoot` (a temporary directory holding an index.html and hashed assets) by the real app:
 * assets with their type and a year's immutable caching, index.html for browser navigations to paths no API route
 * answers, and the API and its 404 problem untouched. Then the API's one configuration from the environment.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_FILE_DIR, DEFAULT_IMPORT_MAX_BYTES, DEFAULT_UPLOAD_MAX_BYTES, loadApiConfig } from '../src/index.js';
import { json, NIPS, setup, type Fixture } from './helpers.js';

const INDEX =
  '<!doctype html><html lang="id"><head><script type="module" src="/assets/index-3f2a9c.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(2000))});`;
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe.each([dbKinds().includes('postgres') ? ('postgres' as const) : ('pglite' as const)])('the web app (%s)', (kind) => {
  let f: Fixture;
  let plain: Fixture;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kinerja-web-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), INDEX);
    await writeFile(join(root, 'assets', 'index-3f2a9c.js'), SCRIPT);
    await writeFile(join(root, 'assets', 'index-77aa01.css'), 'body{margin:0}');
    await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(root, '.env'), 'SECRET=1');
    f = await setup(kind, { config: { webRoot: root } });
    plain = await setup(kind, { config: { webRoot: undefined } });
  }, 180_000);
  afterAll(async () => {
    await f?.close();
    await plain?.close();
    await rm(root, { recursive: true, force: true });
  });

  const get = (fx: Fixture, path: string, headers: Record<string, string> = {}, method = 'GET') => Promise.resolve(fx.app.request(path, { method, headers }));

  it('hashed assets: their type, a year of immutable caching, gzip when accepted', async () => {
    const js = await get(f, '/assets/index-3f2a9c.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe(SCRIPT);

    const css = await get(f, '/assets/index-77aa01.css', { 'accept-encoding': 'gzip, br' });
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('content-encoding')).toBe('gzip');
    expect(css.headers.get('vary')).toContain('Accept-Encoding');
    expect(gunzipSync(Buffer.from(await css.arrayBuffer())).toString()).toBe('body{margin:0}');

    const head = await get(f, '/assets/index-3f2a9c.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(SCRIPT)));
    expect(await head.text()).toBe('');
  });

  it('other files in the root are served and revalidated; dotfiles and paths out of the root are not', async () => {
    const icon = await get(f, '/favicon.svg');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    for (const path of ['/.env', '/assets/../.env', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%2e%2e%2f.env', '/assets/missing-123.js']) {
      const res = await get(f, path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
  });

  it('a browser navigation to a path no API route answers gets index.html, revalidated on every load', async () => {
    for (const path of ['/', '/masuk', '/tugas', '/penilaian/abc/laporan/2', '/me/anything-the-api-does-not-answer']) {
      const res = await get(f, path, HTML);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(await res.text(), path).toBe(INDEX);
    }
    // HEAD of a navigation too
    expect((await get(f, '/tugas', HTML, 'HEAD')).status).toBe(200);
  });

  it('the API still answers its own paths, for browsers too; anything else stays the 404 problem', async () => {
    const me = await get(f, '/me', HTML);
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const token = await f.login(NIPS.staff1);
    const tasks = await f.req('GET', '/me/tasks', { token, headers: HTML });
    expect(tasks.status).toBe(200);
    expect(tasks.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await get(f, '/health', HTML)).headers.get('content-type')).toMatch(/^application\/json/);
    expect((await get(f, '/openapi.json', HTML)).headers.get('content-type')).toMatch(/^application\/json/);

    // not a navigation (fetch of JSON), or not GET: the 404 problem
    const api404 = await get(f, '/masuk', { accept: 'application/json' });
    expect(api404.status).toBe(404);
    expect(await json(api404)).toMatchObject({ code: 'NOT_FOUND' });
    const post = await f.app.request('/masuk', { method: 'POST', headers: { ...HTML, 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(404);
  });

  it('without webRoot no web app: a navigation to / is the 404 problem', async () => {
    const res = await get(plain, '/', HTML);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await get(plain, '/assets/index-3f2a9c.js')).status).toBe(404);
  });
});

describe("the API's configuration from the environment", () => {
  it('defaults', () => {
    const env = loadApiConfig({});
    expect(env).toMatchObject({
      production: false,
      port: 3000,
      host: '0.0.0.0',
      temporal: { address: 'localhost:7233', namespace: 'default' },
      jwtSecret: undefined,
    });
    expect(env.config).toEqual({
      loginRateBurst: 30,
      loginRatePerMinute: 30,
      trustedProxies: 0,
      webRoot: undefined,
      maxUploadBytes: DEFAULT_UPLOAD_MAX_BYTES,
      maxImportBytes: DEFAULT_IMPORT_MAX_BYTES,
      publicSurvey: {
        trustedProxies: 0,
        submitBurst: 5,
        submitPerMinute: 2,
        readBurst: 60,
        readPerMinute: 60,
        duplicateMinutes: 10,
        clientSalt: undefined,
        maxClients: 100_000,
      },
      fileStore: { kind: 'local', dir: DEFAULT_FILE_DIR },
    });
    // the public survey's settings come through the same one config
    expect(loadApiConfig({ SURVEY_RATE_BURST: '9', SURVEY_CLIENT_SALT: 'garam' }).config.publicSurvey).toMatchObject({ submitBurst: 9, clientSalt: 'garam' });
    expect(DEFAULT_UPLOAD_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(DEFAULT_FILE_DIR).toMatch(/\.data\/files$/);
  });

  it('web root, upload limit and an S3 store', () => {
    const env = loadApiConfig({
      WEB_ROOT: '/srv/kinerja/web',
      UPLOAD_MAX_BYTES: '5242880',
      IMPORT_MAX_BYTES: '67108864',
      FILE_STORE: 's3',
      S3_BUCKET: 'kinerja-bukti',
      S3_ENDPOINT: 'http://minio:9000',
      S3_ACCESS_KEY_ID: 'kinerja',
      S3_SECRET_ACCESS_KEY: 'rahasia-sekali',
      S3_PREFIX: 'produksi/',
      TRUSTED_PROXY: '2',
    });
    expect(env.config).toMatchObject({
      webRoot: '/srv/kinerja/web',
      maxUploadBytes: 5242880,
      maxImportBytes: 64 * 1024 * 1024,
      trustedProxies: 2,
      fileStore: {
        kind: 's3',
        bucket: 'kinerja-bukti',
        region: 'us-east-1',
        endpoint: 'http://minio:9000',
        forcePathStyle: true,
        credentials: { accessKeyId: 'kinerja', secretAccessKey: 'rahasia-sekali' },
        prefix: 'produksi/',
      },
    });
    expect(loadApiConfig({ FILE_STORE: 'local', FILE_DIR: '/var/lib/kinerja/files' }).config.fileStore).toEqual({
      kind: 'local',
      dir: '/var/lib/kinerja/files',
    });
  });

  it('a wrong setting names the variable', () => {
    const refused = (env: Record<string, string>) => {
      try {
        loadApiConfig(env);
        return '';
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
    };
    expect(refused({ WEB_ROOT: 'apps/web/dist' })).toMatch(/WEB_ROOT: an absolute path/);
    expect(refused({ UPLOAD_MAX_BYTES: 'banyak' })).toMatch(/UPLOAD_MAX_BYTES/);
    expect(refused({ FILE_STORE: 'ftp' })).toMatch(/FILE_STORE/);
    expect(refused({ FILE_STORE: 's3' })).toMatch(/S3_BUCKET: required when FILE_STORE=s3/);
    expect(refused({ FILE_STORE: 's3', S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'x' })).toMatch(/S3_SECRET_ACCESS_KEY/);
    expect(refused({ S3_ENDPOINT: 'minio:9000' })).toMatch(/S3_ENDPOINT/);
    expect(refused({ NODE_ENV: 'production' })).toMatch(/JWT_SECRET: required when NODE_ENV=production/);
    expect(refused({ NODE_ENV: 'production', JWT_SECRET: 'pendek' })).toMatch(/JWT_SECRET: at least 32 characters/);
    expect(refused({ PORT: '70000' })).toMatch(/PORT/);
  });
});
