/**
 * The built web app (apps/web/dist) served from the API's origin. For GET and HEAD of a path no API route answers:
 *   - a file in the web root: with its type; hashed build output under /assets/ is cached for a year (immutable),
 *     anything else is revalidated;
 *   - else a browser navigation (Accept includes text/html): index.html, revalidated on every load, so the client-side
 *     router takes the path over and a new build reaches everyone on their next load;
 *   - else the request goes on to the API's 404 problem.
 * API routes always win, so the web app's own paths must stay clear of them.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, posix, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.webmanifest', '.txt', '.svg']);

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

export interface WebAppOptions {
  /** absolute path of the built web app; must hold index.html */
  root: string;
  /** whether an API route answers GET of this path (then the API answers, never the web app) */
  apiAnswers: (path: string) => boolean;
}

/** The file under `root` a URL path names, or null for anything that could leave it (.., encoded slashes, dotfiles). */
function fileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const normal = posix.normalize(decoded);
  if (normal.split('/').some((seg) => seg.startsWith('.'))) return null;
  const file = resolve(join(root, normal));
  return file.startsWith(root + sep) ? file : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

const acceptsGzip = (header: string | undefined) => /\bgzip\b/i.test(header ?? '') && !/\bgzip\s*;\s*q=0(\.0*)?\b/i.test(header ?? '');

export function serveWebApp(opts: WebAppOptions): MiddlewareHandler<AppEnv> {
  const root = resolve(opts.root);
  // hashed assets never change under their name: compress each once
  const gzipped = new Map<string, Uint8Array<ArrayBuffer>>();

  async function send(file: string, method: string, acceptEncoding: string | undefined, cacheControl: string): Promise<Response> {
    const ext = extname(file).toLowerCase();
    const headers: Record<string, string> = {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': cacheControl,
      'x-content-type-options': 'nosniff',
    };
    let body: Uint8Array<ArrayBuffer> = new Uint8Array(await readFile(file));
    if (COMPRESSIBLE.has(ext)) {
      headers.vary = 'Accept-Encoding';
      if (acceptsGzip(acceptEncoding)) {
        const cached = cacheControl === IMMUTABLE ? gzipped.get(file) : undefined;
        const zipped = cached ?? new Uint8Array(gzipSync(body));
        if (cacheControl === IMMUTABLE) gzipped.set(file, zipped);
        body = zipped;
        headers['content-encoding'] = 'gzip';
      }
    }
    headers['content-length'] = String(body.byteLength);
    return new Response(method === 'HEAD' ? null : body, { status: 200, headers });
  }

  return async (c, next) => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return next();
    const path = c.req.path;
    if (opts.apiAnswers(path)) return next();
    const encoding = c.req.header('accept-encoding');
    const file = path === '/' ? null : fileFor(root, path);
    if (file && (await isFile(file))) {
      const hashed = path.startsWith('/assets/');
      return send(file, method, encoding, hashed ? IMMUTABLE : REVALIDATE);
    }
    const navigation = /\btext\/html\b/i.test(c.req.header('accept') ?? '');
    if (navigation) return send(join(root, 'index.html'), method, encoding, REVALIDATE);
    return next();
  };
}

/** A matcher for the GET routes of a Hono app (`app.routes`): `/evaluations/:id` matches `/evaluations/abc`. */
export function getRouteMatcher(routes: () => readonly { method: string; path: string }[]): (path: string) => boolean {
  let patterns: RegExp[] | undefined;
  return (path) => {
    patterns ??= routes()
      .filter((r) => r.method === 'GET')
      .map((r) => {
        const src = r.path
          .split('/')
          .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('/');
        return new RegExp(`^${src}/?$`);
      });
    return patterns.some((re) => re.test(path));
  };
}
