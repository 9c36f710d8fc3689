/**
 * Security headers and CORS on the real app (real database, Temporal dev server): every answer (the API's JSON, its
 * problems, the web app, /docs) carries HSTS, nosniff, frame denial, a referrer policy and a content security policy
 * the built web app and the Scalar reference page run under; cross-origin calls get CORS headers only for the origins
 * CORS_ORIGINS lists, and none at all by default.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '@kinerja/db';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/index.js';
import { setup, type Fixture } from './helpers.js';

const WEB_DIST = join(REPO_ROOT, 'apps', 'web', 'dist');
const ALLOWED = 'https://kinerja.example.go.id';
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

/** the CSP as directive → sources */
function policy(header: string | null): Record<string, string[]> {
  expect(header, 'content-security-policy').toBeTruthy();
  return Object.fromEntries(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function corsHeaders(res: Response): string[] {
  const names: string[] = [];
  res.headers.forEach((_, name) => name.startsWith('access-control-') && names.push(name));
  return names;
}

function expectBaseHeaders(res: Response) {
  expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(policy(res.headers.get('content-security-policy'))['frame-ancestors']).toEqual(["'none'"]);
}

describe.each([dbKinds().includes('postgres') ? ('postgres' as const) : ('pglite' as const)])('security headers and CORS (%s)', (kind) => {
  let f: Fixture;
  let sameOriginOnly: ReturnType<typeof createApp>;

  beforeAll(async () => {
    f = await setup(kind, { config: { corsOrigins: [ALLOWED], ...(existsSync(join(WEB_DIST, 'index.html')) ? { webRoot: WEB_DIST } : {}) } });
    sameOriginOnly = createApp({
      prisma: f.db.prisma,
      temporal: f.env.client,
      config: { jwtSecret: 'test-secret-0123456789-abcdefghijklmnop', corsOrigins: [] },
    });
  }, 180_000);
  afterAll(() => f?.close());

  it('every kind of answer carries the headers: JSON, a problem, the OpenAPI document', async () => {
    for (const [path, status] of [
      ['/health', 200],
      ['/openapi.json', 200],
      ['/nope', 404],
      ['/me', 401],
    ] as const) {
      const res = await f.req('GET', path);
      expect(res.status, path).toBe(status);
      expectBaseHeaders(res);
      const csp = policy(res.headers.get('content-security-policy'));
      expect(csp['script-src'], path).toEqual(["'self'"]);
      expect(csp['object-src']).toEqual(["'none'"]);
    }
  });

  it.skipIf(!existsSync(join(WEB_DIST, 'index.html')))('the built web app runs under the policy: no inline script, only files from this origin', async () => {
    const res = await f.app.request('/', { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expectBaseHeaders(res);
    const csp = policy(res.headers.get('content-security-policy'));
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]);
    const html = await res.text();
    expect(html).toBe(await readFile(join(WEB_DIST, 'index.html'), 'utf8'));
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim(), 'an inline script the policy would block').toBe('');
      expect(attrs).toMatch(/\ssrc="\/[^/]/);
    }
    for (const [, href] of html.matchAll(/<link\b[^>]*\shref="([^"]+)"/g)) expect(href, 'a resource from another origin').toMatch(/^(\/[^/]|data:)/);
    // the scripts it names are served, with the same headers
    const entry = /<script[^>]*\ssrc="([^"]+)"/.exec(html)![1]!;
    const js = await f.app.request(entry);
    expect(js.status).toBe(200);
    expectBaseHeaders(js);
  });

  it("/docs: the policy admits the page's one inline script by its hash, and the page loads nothing from elsewhere", async () => {
    const res = await f.app.request('/docs', { headers: HTML });
    expect(res.status).toBe(200);
    expectBaseHeaders(res);
    const html = await res.text();
    const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256').update(inline[0]!).digest('base64')}'`;
    const csp = policy(res.headers.get('content-security-policy'));
    expect(csp['script-src']).toEqual(["'self'", hash]);
    expect(html).not.toMatch(/https?:\/\//);
    // the script it loads is this origin's
    const bundle = /<script[^>]*\ssrc="([^"]+)"/.exec(html)![1]!;
    expect(bundle).toBe('/docs/scalar.js');
    expect((await f.app.request(bundle)).status).toBe(200);
  });

  it('CORS: an allowed origin gets its headers and a preflight; another origin gets none', async () => {
    const ok = await f.req('GET', '/health', { headers: { origin: ALLOWED } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    expect(ok.headers.get('vary')).toMatch(/Origin/i);

    const preflight = await f.req('OPTIONS', '/me', {
      headers: { origin: ALLOWED, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

    const other = await f.req('GET', '/health', { headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const otherPreflight = await f.req('OPTIONS', '/me', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'PATCH' } });
    expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS by default: same origin only, no Access-Control-* header at all', async () => {
    const res = await sameOriginOnly.request('/health', { headers: { origin: ALLOWED } });
    expect(res.status).toBe(200);
    expectBaseHeaders(res);
    expect(corsHeaders(res)).toEqual([]);
    const preflight = await sameOriginOnly.request('/me', { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'GET' } });
    expect(corsHeaders(preflight)).toEqual([]);
  });
});
