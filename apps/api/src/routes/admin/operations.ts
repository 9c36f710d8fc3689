/**
 * Operations: what the region's admin watches and repairs. Projection failures are writes of an evaluation's
 * workflow state that the database refused for good (the worker classified them as not fixable by retrying, e.g. a
 * data exception). The year goes on without them; the admin lists them, removes the data cause, and marks them
 * resolved (packages/workflows/README.md, "When a projection is refused").
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError } from '../../problem.js';
import { bearer, newRouter, ok, problems } from '../../router.js';
import { audit, Paging, RegionParams, withId } from './common.js';

const tags = ['admin: operations'];
const base = '/admin/regions/{regionCode}/projection-failures';

const ProjectionFailureSchema = z
  .object({
    id: z.string(),
    evaluationId: z.string(),
    workflowId: z.string(),
    /** the projection's sequence number (Evaluation.seq it would have written) */
    seq: z.number().int(),
    /** SQLSTATE (e.g. 22P05) or error class (PRISMA_VALIDATION, SERIALISATION) */
    code: z.string(),
    message: z.string(),
    /** the changes the refused write carried (e.g. REPORT_SUBMITTED) */
    changeKinds: z.array(z.string()),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    /** the evaluation's projection has since moved past this write (a later snapshot repaired its head and tasks) */
    superseded: z.boolean(),
  })
  .openapi('ProjectionFailure');

const ListQuery = z
  .object({
    /** false (default): only unresolved failures; true: resolved ones too */
    all: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    ...Paging,
  })
  .strict();

const ListSchema = z
  .object({ items: z.array(ProjectionFailureSchema), total: z.number().int(), page: z.number().int(), limit: z.number().int() })
  .openapi('ProjectionFailureList');

const list = createRoute({
  method: 'get',
  path: base,
  tags,
  security: bearer,
  summary: 'Projection writes the database refused for good (unresolved by default), newest first',
  request: { params: RegionParams, query: ListQuery },
  responses: { 200: ok(ListSchema), ...problems },
});
const resolve = createRoute({
  method: 'post',
  path: `${base}/{id}/resolve`,
  tags,
  security: bearer,
  summary: 'Mark a projection failure resolved (after its data cause was dealt with); repeating it changes nothing',
  request: { params: withId('id') },
  responses: { 200: ok(ProjectionFailureSchema), ...problems },
});

type Row = {
  id: string;
  evaluationId: string;
  workflowId: string;
  seq: number;
  code: string;
  message: string;
  changeKinds: string[];
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
};

export function operationsRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;

  async function present(rows: Row[]) {
    const seqs = new Map(
      (await prisma.evaluation.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.evaluationId))] } }, select: { id: true, seq: true } })).map((e) => [
        e.id,
        e.seq,
      ]),
    );
    return rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      resolvedAt: r.resolvedAt?.toISOString() ?? null,
      superseded: (seqs.get(r.evaluationId) ?? 0) > r.seq,
    }));
  }

  return newRouter()
    .openapi(list, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const q = c.req.valid('query');
      const where = { regionId: region.id, ...(q.all ? {} : { resolvedAt: null }) };
      const [total, rows] = await Promise.all([
        prisma.projectionFailure.count({ where }),
        prisma.projectionFailure.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: (q.page - 1) * q.limit, take: q.limit }),
      ]);
      return c.json({ items: await present(rows), total, page: q.page, limit: q.limit }, 200);
    })
    .openapi(resolve, async (c) => {
      const { regionCode, id } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const row = await prisma.$transaction(async (tx) => {
        const found = await tx.projectionFailure.findFirst({ where: { id, regionId: region.id } });
        if (!found) throw new ProblemError('NOT_FOUND');
        if (found.resolvedAt) return found;
        const updated = await tx.projectionFailure.update({ where: { id }, data: { resolvedAt: new Date(), resolvedBy: c.get('user').userId } });
        await audit(
          tx,
          c,
          region.id,
          'projection_failure.resolved',
          'ProjectionFailure',
          id,
          { resolvedAt: null },
          { resolvedAt: updated.resolvedAt, seq: updated.seq, code: updated.code },
        );
        return updated;
      });
      return c.json((await present([row]))[0]!, 200);
    });
}
