import { createRoute, z } from '@hono/zod-openapi';
import type { ResolvedDeps } from '../env.js';
import { newRouter, ok } from '../router.js';

const Health = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['up', 'down']), temporal: z.enum(['up', 'down']) }).openapi('Health');

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Liveness of the API and its dependencies',
  responses: { 200: ok(Health), 503: ok(Health, 'A dependency is down') },
});

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export function healthRoutes(deps: ResolvedDeps) {
  return newRouter().openapi(healthRoute, async (c) => {
    const [db, tp] = await Promise.allSettled([within(deps.prisma.$queryRaw`SELECT 1`, 3000), within(deps.temporal.workflowService.getSystemInfo({}), 3000)]);
    const body = {
      status: db.status === 'fulfilled' && tp.status === 'fulfilled' ? ('ok' as const) : ('degraded' as const),
      database: db.status === 'fulfilled' ? ('up' as const) : ('down' as const),
      temporal: tp.status === 'fulfilled' ? ('up' as const) : ('down' as const),
    };
    return body.status === 'ok' ? c.json(body, 200) : c.json(body, 503);
  });
}
