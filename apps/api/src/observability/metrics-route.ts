/**
 * GET /metrics in Prometheus' text format. Access (config.metrics, env METRICS_TOKEN): with a token, a scraper sends
 * it as a Bearer token; without one the endpoint is open outside production and off (404) in production, because
 * the API faces the public and its traffic and process numbers are nobody else's business.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, MetricsAccess } from '../env.js';
import { ProblemError } from '../problem.js';
import type { HttpMetrics } from './metrics.js';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function metricsRoute(metrics: HttpMetrics, access: MetricsAccess): MiddlewareHandler<AppEnv> {
  return async (c) => {
    if (access === 'off') throw new ProblemError('NOT_FOUND');
    if (access !== 'open') {
      const auth = c.req.header('authorization') ?? '';
      const token = /^Bearer (.+)$/i.exec(auth)?.[1];
      if (!token || !sameToken(token, access.token)) throw new ProblemError('UNAUTHENTICATED', { headers: { 'www-authenticate': 'Bearer realm="metrics"' } });
    }
    const text = await metrics.registry.metrics();
    return c.body(text, 200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  };
}
