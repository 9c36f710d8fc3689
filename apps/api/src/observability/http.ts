/**
 * One middleware for what every request leaves behind: its id (an incoming X-Request-Id when it is a short safe
 * token, else a new UUID) in the context, the AsyncLocalStorage (for the Temporal header) and the X-Request-Id
 * answer header; one JSON access log line; and the request counters. Routes are labelled by their pattern
 * (`/evaluations/:id`), never the raw path, so the labels stay few.
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../env.js';
import type { Logger } from './logger.js';
import type { HttpMetrics } from './metrics.js';
import { requestScope, SAFE_REQUEST_ID } from './request-id.js';

/** the label of a request no API route matched (an unknown path, a web app file or page) */
export const UNMATCHED_ROUTE = 'unmatched';

/** The pattern of the route that answered, or would have (a middleware such as sign-in may refuse first). */
export function routeLabel(c: Context<AppEnv>): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i]!;
    // app.use registers middleware with method ALL; a route has its own method
    if (r.method !== 'ALL') return r.path;
  }
  return UNMATCHED_ROUTE;
}

export function requestObservation(logger: Logger, metrics: HttpMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    c.set('logger', logger.child({ requestId }));
    const started = performance.now();
    await requestScope.run({ requestId }, next);
    c.res.headers.set('x-request-id', requestId);
    const seconds = (performance.now() - started) / 1000;
    const route = routeLabel(c);
    const status = c.res.status;
    metrics.requests.inc({ method: c.req.method, route, status: String(status) });
    metrics.duration.observe({ method: c.req.method, route }, seconds);
    const user = c.get('user') as AppEnv['Variables']['user'] | undefined;
    logger[status >= 500 ? 'error' : 'info'](
      {
        requestId,
        method: c.req.method,
        route,
        status,
        durationMs: Math.round(seconds * 100_000) / 100,
        ...(user ? { userId: user.userId } : {}),
      },
      'request',
    );
  };
}
