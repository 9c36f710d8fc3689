import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { defaultHook } from './validation.js';

/** Every router (sub-app) shares the one defaultHook, so validation errors look the same everywhere. */
export const newRouter = () => new OpenAPIHono<AppEnv>({ defaultHook });

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

export const IdParam = (name: string) => z.string().min(1).max(64).openapi({ param: { name, in: 'path' } });

export const IdempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(200).optional().openapi({ description: 'Replays the first answer for the same key and request' }),
});

export const UpdateResultSchema = z.object({ ok: z.literal(true), phase: z.string() }).openapi('UpdateResult');
export const AnyObject = z.record(z.string(), z.unknown());
