import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { negotiateLang, type ProblemCode } from '@kinerja/domain';
import { Scalar } from '@scalar/hono-api-reference';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { HTTPException } from 'hono/http-exception';
import { invalidateCallersAfterChanges, requireAuth } from './auth/middleware.js';
import { resolveDeps, type AppEnv, type Deps } from './env.js';
import { idempotency } from './idempotency.js';
import { ProblemError, problemBody, problemResponse } from './problem.js';
import { newRouter } from './router.js';
import { accountRoutes } from './routes/account.js';
import { adminRoutes } from './routes/admin/index.js';
import { annualPreviewRoutes } from './routes/annual-preview.js';
import { authRoutes } from './routes/auth.js';
import { documentRoutes } from './routes/documents.js';
import { evaluationRoutes } from './routes/evaluations.js';
import { EVIDENCE_UPLOAD_PATH, evidenceRoutes, MULTIPART_OVERHEAD_BYTES } from './routes/evidence.js';
import { TABLE_IMPORT_PATH } from './routes/admin/common.js';
import { requestObservation } from './observability/http.js';
import { requestTracing } from './observability/tracing.js';
import { createLogger } from './observability/logger.js';
import { metricsRoute } from './observability/metrics-route.js';
import { healthRoutes } from './routes/health.js';
import { meRoutes } from './routes/me.js';
import { publicRoutes } from './routes/public.js';
import { problemFromTemporal } from './temporal.js';
import { getRouteMatcher, serveWebApp } from './web.js';
import { TABLE_TYPES } from './tabular/readTable.js';

const SCALAR_SCRIPT_PATH = '/docs/scalar.js';
let scalarBundle: Promise<Buffer> | undefined;
function scalarScript(): Promise<Response> {
  // the package exports no path to its browser bundle: find it beside the resolved entry (dist/index.js)
  scalarBundle ??= readFile(join(dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')), 'browser', 'standalone.js'));
  return scalarBundle.then(
    (body) =>
      new Response(new Uint8Array(body), {
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' },
      }),
  );
}

/**
 * The web app's policy: its scripts and style sheets are files from this origin; styles may also be inline, for the
 * style elements CodeMirror (the rule-set editor) injects; images may be data: and blob: URLs (previews, the icon).
 * The API's own answers are JSON, where the policy only matters if a browser is tricked into rendering one.
 */
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** /docs (Scalar) starts itself with an inline script: the policy admits exactly that script, by its hash. */
function docsCsp(html: string): string {
  const hashes = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );
  return APP_CSP.replace("script-src 'self'", `script-src 'self' ${hashes.join(' ')}`);
}

const securityHeaders = secureHeaders({
  xFrameOptions: 'DENY',
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  referrerPolicy: 'strict-origin-when-cross-origin',
  // a route that sets its own policy (an evidence file's sandbox, /docs) keeps it
  overwrite: false,
  contentSecurityPolicy: {},
});
const defaultCsp: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (!c.res.headers.has('content-security-policy')) c.res.headers.set('content-security-policy', APP_CSP);
};

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('lang', negotiateLang(c.req.header('accept-language')));
  await next();
  varyOn(c.res.headers, 'Accept-Language');
};

/** Add a token to Vary once: a problem response already names Accept-Language, and other middleware may add more. */
function varyOn(headers: Headers, token: string) {
  const present = (headers.get('vary') ?? '').split(',').map((t) => t.trim().toLowerCase());
  if (present.includes(token.toLowerCase()) || present.includes('*')) return;
  headers.append('vary', token);
}

/**
 * Bodies must be JSON (CSV as well for the employee import, multipart/form-data for the evidence upload); an empty
 * body passes through to validation.
 */
const contentTypeGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return next();
  const hasBody = c.req.raw.body !== null && c.req.header('content-length') !== '0';
  if (!hasBody) return next();
  const media = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (JSON_TYPE.test(media)) return next();
  if ((TABLE_TYPES as readonly string[]).includes(media) && /\/(employees|attendance)\/import$/.test(c.req.path)) return next();
  if (media === 'multipart/form-data' && EVIDENCE_UPLOAD_PATH.test(c.req.path)) return next();
  throw new ProblemError('UNSUPPORTED_MEDIA_TYPE');
};

function httpExceptionCode(err: HTTPException): ProblemCode {
  if (err.status === 400) return 'MALFORMED_JSON';
  if (err.status === 401) return 'UNAUTHENTICATED';
  if (err.status === 403) return 'FORBIDDEN';
  if (err.status === 404) return 'NOT_FOUND';
  if (err.status === 413) return 'PAYLOAD_TOO_LARGE';
  if (err.status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (err.status === 409) return 'CONFLICT';
  if (err.status === 429) return 'RATE_LIMITED';
  return err.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED';
}

function prismaCode(err: unknown): ProblemCode | null {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (code === 'P2025') return 'NOT_FOUND';
  if (code === 'P2002' || code === 'P2034') return 'CONFLICT';
  return null;
}

const fallbackLogger = createLogger('error');

/** The one error handler: everything leaves as application/problem+json. */
export function toProblem(err: unknown, c: Context<AppEnv>): Response {
  const lang = c.get('lang') ?? 'id';
  const requestId = c.get('requestId') ?? randomUUID();
  const instance = new URL(c.req.url).pathname;
  let pe: ProblemError;
  if (err instanceof ProblemError) pe = err;
  else if (err instanceof HTTPException && err.status === 400 && EVIDENCE_UPLOAD_PATH.test(instance)) {
    // the upload's multipart body could not be read: that is not malformed JSON
    const en = lang === 'en';
    pe = new ProblemError('VALIDATION_FAILED', {
      cause: err,
      errors: [
        {
          pointer: '/file',
          field: 'file',
          code: 'malformed',
          message: en ? 'the multipart/form-data body could not be read' : 'badan multipart/form-data tidak dapat dibaca',
        },
      ],
    });
  } else if (err instanceof HTTPException) pe = new ProblemError(httpExceptionCode(err), { cause: err });
  else {
    const fromTemporal = problemFromTemporal(err);
    const pc = fromTemporal ? null : prismaCode(err);
    pe = fromTemporal ?? new ProblemError(pc ?? 'INTERNAL', { cause: err });
  }
  if (pe.status >= 500) (c.get('logger') ?? fallbackLogger).error({ err, requestId, method: c.req.method, path: instance }, 'request failed');
  const body = problemBody(pe.code, lang, instance, requestId, { errors: pe.errors, detail: pe.detailOverride, extensions: pe.extensions });
  return problemResponse(body, { vary: 'Accept-Language', ...(pe.headers ?? {}) });
}

export function createApp(rawDeps: Deps) {
  const deps = resolveDeps(rawDeps);
  const app = newRouter();

  app.use('*', requestObservation(deps.logger, deps.metrics), requestTracing, securityHeaders, defaultCsp);
  if (deps.config.corsOrigins.length > 0) {
    app.use(
      '*',
      cors({
        origin: deps.config.corsOrigins,
        allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowHeaders: ['Authorization', 'Content-Type', 'Accept-Language', 'Idempotency-Key', 'X-Request-Id'],
        exposeHeaders: ['X-Request-Id', 'Retry-After', 'Content-Disposition', 'Idempotency-Replayed'],
        maxAge: 600,
      }),
    );
  }
  app.use('*', requestContext);
  // sign-in facts cached by requireAuth are forgotten once any change request here has been answered
  app.use('*', invalidateCallersAfterChanges);
  if (deps.config.webRoot) app.use('*', serveWebApp({ root: deps.config.webRoot, apiAnswers: getRouteMatcher(() => app.routes) }));
  const jsonLimit = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: () => {
      throw new ProblemError('PAYLOAD_TOO_LARGE');
    },
  });
  /** A body limit for a route whose body carries a file: too large is a 413 naming the file's field, in MiB. */
  const fileLimit = (maxBytes: number, overhead: number, at: { pointer: string; field: string }, message: (max: string) => { id: string; en: string }) =>
    bodyLimit({
      maxSize: maxBytes + overhead,
      onError: (c) => {
        const text = message((maxBytes / (1024 * 1024)).toLocaleString('id-ID', { maximumFractionDigits: 1 }));
        throw new ProblemError('PAYLOAD_TOO_LARGE', { errors: [{ ...at, code: 'too_big', message: c.get('lang') === 'en' ? text.en : text.id }] });
      },
    });
  // the evidence upload may carry a file of maxUploadBytes; the route itself names `file` when the file is too large
  const uploadLimit = fileLimit(deps.config.maxUploadBytes, MULTIPART_OVERHEAD_BYTES, { pointer: '/file', field: 'file' }, (max) => ({
    id: `berkas maksimal ${max} MiB`,
    en: `the file may be at most ${max} MiB`,
  }));
  // an import carries a whole roster or a month of attendance: the body is the file
  const importLimit = fileLimit(deps.config.maxImportBytes, 0, { pointer: '', field: 'body' }, (max) => ({
    id: `berkas impor maksimal ${max} MiB; bagi berkas dan impor per bagian`,
    en: `the import file may be at most ${max} MiB; split it and import the parts`,
  }));
  const isUpload = (c: Context<AppEnv>) => c.req.method === 'POST' && EVIDENCE_UPLOAD_PATH.test(c.req.path);
  const isImport = (c: Context<AppEnv>) => c.req.method === 'POST' && TABLE_IMPORT_PATH.test(c.req.path);
  const limitBody: MiddlewareHandler<AppEnv> = (c, next) => (isUpload(c) ? uploadLimit(c, next) : isImport(c) ? importLimit(c, next) : jsonLimit(c, next));
  app.use('*', limitBody);
  app.use('*', contentTypeGuard);
  const auth = requireAuth(deps);
  const idem = idempotency(deps);
  // the evidence upload is multipart, which the route reads as form data: the idempotency check reads the body as
  // bytes first, and Hono cannot give form data back from bytes it holds without the request's content type
  const idemUnlessUpload: MiddlewareHandler<AppEnv> = (c, next) => (isUpload(c) ? next() : idem(c, next));
  // once per request: a pattern `/x/*` matches `/x` itself as well, so `/me` needs no pattern of its own
  for (const path of ['/me/*', '/evaluations/*', '/admin/*']) app.use(path, auth, idemUnlessUpload);

  app.onError((err, c) => toProblem(err, c));
  app.notFound((c) => toProblem(new ProblemError('NOT_FOUND'), c));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

  const routes = app
    .route('/', healthRoutes(deps))
    .route('/', authRoutes(deps))
    .route('/', meRoutes(deps))
    .route('/', accountRoutes(deps))
    .route('/', evaluationRoutes(deps))
    .route('/', annualPreviewRoutes(deps))
    .route('/', evidenceRoutes(deps))
    .route('/', documentRoutes(deps))
    .route('/', adminRoutes(deps))
    .route('/', publicRoutes(deps));

  routes.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Kinerja API',
      version: '0.1.0',
      description:
        'Penilaian kinerja ASN (PP 30/2019, PermenPANRB 6/2022). Errors are RFC 9457 application/problem+json with a stable `code`; ' +
        'messages in Bahasa Indonesia unless Accept-Language prefers English. Mutating routes honour Idempotency-Key.',
    },
  });
  // The reference page's script is served from the installed package, so /docs works on a machine with no internet.
  routes.get(SCALAR_SCRIPT_PATH, () => scalarScript());
  // Prometheus text, not JSON: outside the OpenAPI document, like /docs
  routes.get('/metrics', metricsRoute(deps.metrics, deps.config.metrics));
  // no fonts from Scalar's CDN: the page keeps to this origin, as its policy says
  const docs = Scalar({
    url: '/openapi.json',
    pageTitle: 'Kinerja API',
    cdn: SCALAR_SCRIPT_PATH,
    withDefaultFonts: false,
  }) as unknown as MiddlewareHandler<AppEnv>;
  routes.get('/docs', async (c, next) => {
    const page = (await docs(c, next)) ?? c.res;
    const html = await page.text();
    return c.html(html, 200, { 'content-security-policy': docsCsp(html) });
  });
  return routes;
}

export type App = ReturnType<typeof createApp>;
export type AppType = App;
