import { createRoute, z } from '@hono/zod-openapi';
import type { ResolvedDeps } from '../env.js';
import { newRouter, ok } from '../router.js';

const Health = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['up', 'down']), temporal: z.enum(['up', 'down']) }).openapi('Health');
const Live = z.object({ status: z.literal('ok') }).openapi('Live');

const readiness = {
  tags: ['system'],
  responses: { 200: ok(Health), 503: ok(Health, 'A dependency is down') },
};

/** kept for the health checks and scripts that call it: the same answer as /health/ready */
const healthRoute = createRoute({ method: 'get', path: '/health', summary: 'Readiness of the API and its dependencies (as /health/ready)', ...readiness });
const readyRoute = createRoute({
  method: 'get',
  path: '/health/ready',
  summary: 'Readiness: the database and Temporal answer (503 naming the one that is down)',
  ...readiness,
});
const liveRoute = createRoute({
  method: 'get',
  path: '/health/live',
  tags: ['system'],
  summary: 'Liveness: the process answers (no dependency is asked)',
  responses: { 200: ok(Live) },
});

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export function healthRoutes(deps: ResolvedDeps) {
  const ready = async () => {
    const [db, tp] = await Promise.allSettled([within(deps.prisma.$queryRaw`SELECT 1`, 3000), within(deps.temporal.workflowService.getSystemInfo({}), 3000)]);
    return {
      status: db.status === 'fulfilled' && tp.status === 'fulfilled' ? ('ok' as const) : ('degraded' as const),
      database: db.status === 'fulfilled' ? ('up' as const) : ('down' as const),
      temporal: tp.status === 'fulfilled' ? ('up' as const) : ('down' as const),
    };
  };
  return newRouter()
    .openapi(healthRoute, async (c) => {
      const body = await ready();
      return body.status === 'ok' ? c.json(body, 200) : c.json(body, 503);
    })
    .openapi(readyRoute, async (c) => {
      const body = await ready();
      return body.status === 'ok' ? c.json(body, 200) : c.json(body, 503);
    })
    .openapi(liveRoute, (c) => c.json({ status: 'ok' as const }, 200));
}
