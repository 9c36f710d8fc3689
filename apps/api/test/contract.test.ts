/**
 * The typed API contract: /openapi.json documents a response schema for every route and status, none of them open
 * (`{}` or an object of anything), and the check `setup()` applies to every answer (./contract.ts) catches an answer
 * that strays from its schema, its status or its content type.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { COMMAND_NAMES, EVALUATION_COMMANDS, type CommandSpec } from '@kinerja/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkContract, ContractViolation } from './contract.js';
import { json, setup, type Fixture } from './helpers.js';

describe('the contract check on every answer', () => {
  const Thing = z.object({ a: z.string(), items: z.array(z.object({ n: z.number().int() })) });
  const route = createRoute({
    method: 'get',
    path: '/things/{id}',
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: { description: 'OK', content: { 'application/json': { schema: Thing } } } },
  });
  const app = (answer: (id: string) => Response) => {
    const a = new OpenAPIHono();
    a.openapi(route, (c) => answer(c.req.valid('param').id) as never);
    a.get('/undocumented', (c) => c.json({ anything: true }));
    return checkContract(a);
  };

  it('passes an answer that matches its schema', async () => {
    const res = await app(() => Response.json({ a: 'x', items: [{ n: 1 }] })).request('/things/1');
    expect(await res.json()).toEqual({ a: 'x', items: [{ n: 1 }] });
  });

  it('fails a body that does not match, naming the route, the status and the issue path', async () => {
    const wrong = app(() => Response.json({ a: 'x', items: [{ n: 1.5 }] }));
    const err = await Promise.resolve(wrong.request('/things/7')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractViolation);
    expect((err as Error).message).toContain('GET /things/{id} → 200');
    expect((err as Error).message).toContain('/items/0/n');
  });

  it('fails a status the route does not document', async () => {
    const err = await Promise.resolve(app(() => Response.json({ a: 'x', items: [] }, { status: 201 })).request('/things/1')).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/GET \/things\/\{id\} → 201: status not documented/);
  });

  it('fails a content type the status does not document', async () => {
    const err = await Promise.resolve(app(() => new Response('a', { headers: { 'content-type': 'text/plain' } })).request('/things/1')).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/content type text\/plain not documented/);
  });

  it('leaves routes outside the OpenAPI document alone', async () => {
    expect((await app(() => Response.json({})).request('/undocumented')).status).toBe(200);
  });
});

interface Operation {
  summary?: string;
  requestBody?: { content: Record<string, { schema: Schema }> };
  parameters?: { name: string; in: string }[];
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
type Schema = { [key: string]: unknown };

/** Keywords that say what a value is; a schema with none of them accepts anything. */
const SHAPING = ['type', '$ref', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', 'properties', 'items', 'not'];

/** Pointers to the places in `schema` that accept any value or an object of anything. */
function openPlaces(schema: unknown, components: Record<string, Schema>, at: string, seen = new Set<string>()): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return [];
    seen.add(name);
    return openPlaces(components[name], components, `${at} → ${name}`, seen);
  }
  if (!SHAPING.some((k) => k in s)) return [at || '/'];
  const out: string[] = [];
  if (s.type === 'object' && !s.properties && !s.patternProperties && (s.additionalProperties === undefined || s.additionalProperties === true))
    out.push(`${at}: object of anything`);
  if (typeof s.additionalProperties === 'object') out.push(...openPlaces(s.additionalProperties, components, `${at}/*`, seen));
  for (const [k, v] of Object.entries((s.properties as Record<string, unknown> | undefined) ?? {})) out.push(...openPlaces(v, components, `${at}/${k}`, seen));
  if (s.items) out.push(...openPlaces(s.items, components, `${at}/[]`, seen));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const [i, v] of ((s[key] as unknown[] | undefined) ?? []).entries()) out.push(...openPlaces(v, components, `${at}/${key}/${i}`, seen));
  }
  return out;
}

describe('/openapi.json', () => {
  let f: Fixture;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
  beforeAll(async () => {
    f = await setup('pglite');
    doc = await json(await f.req('GET', '/openapi.json'));
  }, 120_000);
  afterAll(async () => f?.close());

  it('documents a response schema for every route and status, none of them open', () => {
    const missing: string[] = [];
    const open: string[] = [];
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations++;
        const responses = Object.entries(op.responses ?? {});
        if (responses.length === 0) missing.push(`${method.toUpperCase()} ${path}: no responses`);
        for (const [status, r] of responses) {
          const where = `${method.toUpperCase()} ${path} ${status}`;
          const content = Object.entries(r.content ?? {});
          if (content.length === 0 && status !== '204') missing.push(`${where}: no content`);
          for (const [media, c] of content) {
            if (!c.schema) missing.push(`${where} ${media}: no schema`);
            else open.push(...openPlaces(c.schema, doc.components.schemas, `${where} ${media}`));
          }
        }
      }
    }
    expect(operations).toBeGreaterThan(50);
    expect(missing).toEqual([]);
    expect(open).toEqual([]);
  });

  it('serves each command of the table at its method and path, with its summary, body and UpdateResult', () => {
    for (const n of COMMAND_NAMES) {
      const row: CommandSpec = EVALUATION_COMMANDS[n];
      const op = doc.paths[row.path]?.[row.method];
      expect(op, `${row.method} ${row.path}`).toBeDefined();
      expect(op!.summary).toBe(row.summary);
      expect(Boolean(op!.requestBody), `${n} has a body`).toBe(Boolean(row.body));
      expect(op!.parameters?.some((p) => p.name === 'period' && p.in === 'path') ?? false).toBe(row.period === true);
      expect(op!.responses?.['200']?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/UpdateResult' });
    }
  });

  it('finds an open schema where there is one (the check itself can fail)', () => {
    const components = { Loose: { type: 'object' }, Tight: { type: 'object', properties: { a: { type: 'string' } } } };
    expect(openPlaces({ $ref: '#/components/schemas/Loose' }, components, 'x')).toEqual(['x → Loose: object of anything']);
    expect(openPlaces({ type: 'object', properties: { v: {} } }, components, 'x')).toEqual(['x/v']);
    expect(openPlaces({ type: 'object', additionalProperties: {} }, components, 'x')).toEqual(['x/*']);
    expect(openPlaces({ type: 'array', items: { $ref: '#/components/schemas/Tight' } }, components, 'x')).toEqual([]);
  });
});
