import { OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import { idText, Phase, text } from '@kinerja/domain';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { ProblemError } from './problem.js';
import { defaultHook } from './validation.js';

/**
 * A route whose OpenAPI body is `required` refuses a request without one (no bytes, or only whitespace) with 422
 * naming the body. Without this the JSON validator sees no content type, validates `{}` instead, and a body whose
 * fields are all optional (the PATCH routes) would pass as an empty change.
 */
const requireBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  // read as bytes: Hono caches the body in the form read first, and text would garble a binary (multipart) body
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (raw.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) {
    const en = c.get('lang') === 'en';
    throw new ProblemError('VALIDATION_FAILED', {
      errors: [{ pointer: '', field: 'body', code: 'required', message: en ? 'the JSON request body is required' : 'badan permintaan (JSON) wajib diisi' }],
    });
  }
  await next();
};

function withBodyCheck<R extends RouteConfig>(route: R): R {
  if (!route.request?.body?.required) return route;
  const own = route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
  return { ...route, middleware: [requireBody, ...own] };
}

/**
 * Every router (sub-app) shares the one defaultHook, so validation errors look the same everywhere, and the one
 * required-body check.
 */
export const newRouter = () => {
  const router = new OpenAPIHono<AppEnv>({ defaultHook });
  const register = router.openapi;
  router.openapi = ((route: RouteConfig, ...rest: unknown[]) =>
    (register as (...a: unknown[]) => unknown)(withBodyCheck(route), ...rest)) as typeof router.openapi;
  return router;
};

export const FieldErrorSchema = z
  .object({
    pointer: z.string().openapi({ example: '/rhk/0/indicators/1/target' }),
    field: z.string(),
    code: z.string(),
    message: z.string(),
    in: z.enum(['body', 'query', 'param', 'header']).optional(),
    row: z.number().int().optional(),
  })
  .openapi('FieldError');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
const p = (description: string) => ({ description, content: problemContent });

/** Problem responses every authenticated route can answer. */
export const problems = {
  400: p('Malformed JSON'),
  401: p('Not signed in or token expired'),
  403: p('Not allowed'),
  404: p('Not found (or not visible to the caller)'),
  409: p('Conflict, wrong phase, deadline passed, idempotent request in progress'),
  413: p('Body too large'),
  415: p('Unsupported content type'),
  422: p('Validation failed (with JSON pointers)'),
} as const;

export const publicProblems = { 400: problems[400], 413: problems[413], 415: problems[415], 422: problems[422] } as const;

export const bearer = [{ bearerAuth: [] as string[] }];

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  body: { content: { 'application/json': { schema } }, required: true, ...(description ? { description } : {}) },
});

export const ok = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

export const IdParam = (name: string) => idText(64).openapi({ param: { name, in: 'path' } });

/** A unit (or other) code as people type it: letters, digits, dot, underscore, hyphen. */
export const Code = text({ min: 1, max: 50 }).regex(/^[A-Za-z0-9._-]+$/);

export const IdempotencyHeader = z.object({
  'idempotency-key': text({ min: 1, max: 200, trim: false }).optional().openapi({ description: 'Replays the first answer for the same key and request' }),
});

export const UpdateResultSchema = z.object({ ok: z.literal(true), phase: Phase }).openapi('UpdateResult');
