/**
 * The API's contract, checked on every answer the test suite receives: `setup()` wraps `app.request`, so each response
 * is compared with the route's documented schema for its status and content type, and a mismatch fails the test that
 * made the request, naming the route, the status and the zod issue paths.
 */
import type { RouteConfig } from '@hono/zod-openapi';
import type { z } from 'zod';

interface App {
  request: (...args: never[]) => Response | Promise<Response>;
  openAPIRegistry: { definitions: readonly { type: string; route?: RouteConfig }[] };
}

interface DocumentedRoute {
  method: string;
  path: string;
  pattern: RegExp;
  params: number;
  responses: RouteConfig['responses'];
}

export function documentedRoutes(app: App): DocumentedRoute[] {
  return app.openAPIRegistry.definitions
    .flatMap((d) => (d.type === 'route' && d.route ? [d.route] : []))
    .map((r) => ({
      method: r.method.toUpperCase(),
      path: r.path,
      pattern: new RegExp(`^${r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      params: (r.path.match(/\{/g) ?? []).length,
      responses: r.responses,
    }));
}

/** The route that answers `method path`: a literal segment wins over a parameter (`/employees/import` over `/employees/{id}`). */
export function routeFor(routes: readonly DocumentedRoute[], method: string, pathname: string): DocumentedRoute | undefined {
  return routes.filter((r) => r.method === method && r.pattern.test(pathname)).sort((a, b) => a.params - b.params)[0];
}

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

const isZod = (s: unknown): s is z.ZodType => typeof s === 'object' && s !== null && typeof (s as { safeParse?: unknown }).safeParse === 'function';

/** Why `res` does not match what `route` documents (null when it does). */
export async function contractProblem(route: DocumentedRoute, res: Response): Promise<string | null> {
  const where = `${route.method} ${route.path} → ${res.status}`;
  const documented = route.responses[String(res.status)] ?? route.responses[res.status];
  if (!documented || !('description' in documented)) return `${where}: status not documented`;
  const body = await res.clone().text();
  const content = (documented as { content?: Record<string, { schema?: unknown }> }).content;
  if (!content || Object.keys(content).length === 0) return body === '' ? null : `${where}: documented without a body, answered ${body.slice(0, 200)}`;
  const media = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const entry = content[media];
  if (!entry) return `${where}: content type ${media || '(none)'} not documented (documented: ${Object.keys(content).join(', ')})`;
  const schema = entry.schema;
  if (!isZod(schema)) return `${where} (${media}): the documented schema is not a zod schema`;
  const values: unknown[] = [];
  try {
    if (media === 'application/x-ndjson')
      values.push(
        ...body
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as unknown),
      );
    else if (media.endsWith('json')) values.push(JSON.parse(body) as unknown);
    else values.push(body);
  } catch {
    return `${where} (${media}): body is not JSON: ${body.slice(0, 200)}`;
  }
  for (const [i, v] of values.entries()) {
    const r = schema.safeParse(v);
    if (!r.success) {
      const issues = r.error.issues.slice(0, 10).map((x) => `  /${x.path.map(String).join('/')}: ${x.message}`);
      const line = values.length > 1 ? ` line ${i + 1}` : '';
      return `${where} (${media})${line} does not match the documented schema:\n${issues.join('\n')}`;
    }
  }
  return null;
}

/**
 * Make `app.request` check each answer against the contract. Requests that reach no documented route (unknown
 * paths, /openapi.json, /docs) pass unchecked: the 404 problem and the documents have no route schema.
 */
export function checkContract<A extends App>(app: A): A {
  const routes = documentedRoutes(app);
  const original = app.request.bind(app) as (input: string | Request | URL, init?: RequestInit, ...rest: unknown[]) => Response | Promise<Response>;
  const request = async (input: string | Request | URL, init?: RequestInit, ...rest: unknown[]) => {
    const res = await original(input, init, ...rest);
    const url = input instanceof Request ? new URL(input.url) : new URL(String(input), 'http://localhost');
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const route = routeFor(routes, method, url.pathname);
    if (!route) return res;
    const problem = await contractProblem(route, res);
    if (problem) throw new ContractViolation(problem);
    return res;
  };
  (app as { request: unknown }).request = request;
  return app;
}
