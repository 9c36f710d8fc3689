/**
 * The region's audit trail: search (by employee, actor, kind of action and time, newest first, keyset-paged by seq)
 * and the hash chain's verification.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { verifyAuditChain, type Prisma } from '@kinerja/db';
import { idText, text } from '@kinerja/domain';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError } from '../../problem.js';
import { bearer, newRouter, ok, problems } from '../../router.js';
import { IsoDateTime, JsonValueSchema } from '../../schemas.js';
import { RegionParams } from './common.js';

const tags = ['admin: audit'];
const base = '/admin/regions/{regionCode}/audit';

const AuditQuery = z
  .object({
    /** events about the employee (its Employee row, its evaluations and their tasks and scores) or acted by or for them */
    employeeId: idText(64).optional(),
    /** the same by NIP */
    nip: z
      .string()
      .regex(/^\d{18}$/)
      .optional(),
    /** a user id or a username */
    actor: text({ min: 1, max: 200 }).optional(),
    /** an action ("employee.update") or a prefix ending in a dot or an asterisk ("employee." / "task.*") */
    kind: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\*?$/)
      .max(100)
      .optional(),
    from: IsoDateTime.optional(),
    to: IsoDateTime.optional(),
    /** keyset cursor: only events with a smaller seq (the previous page's nextBefore) */
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const PersonSchema = z.object({ id: z.string(), nip: z.string(), name: z.string() });
const AuditItemSchema = z
  .object({
    seq: z.number().int(),
    at: IsoDateTime,
    action: z.string(),
    entity: z.object({ type: z.string(), id: z.string() }),
    /** null: the system (the worker's workflows) */
    actor: z
      .object({
        userId: z.string().nullable(),
        username: z.string().nullable(),
        displayName: z.string().nullable(),
        employee: PersonSchema.nullable(),
      })
      .nullable(),
    /** the employee the actor acted for (Plt/Plh, escalation) */
    actingFor: PersonSchema.nullable(),
    before: JsonValueSchema.nullable(),
    after: JsonValueSchema.nullable(),
    requestId: z.string().nullable(),
  })
  .openapi('AuditItem');
const AuditPageSchema = z
  .object({
    items: z.array(AuditItemSchema),
    /** pass as `before` for the next (older) page; null on the last page */
    nextBefore: z.number().int().nullable(),
  })
  .openapi('AuditPage');
const AuditVerifySchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    /** seq of the first event that does not verify */
    brokenAt: z.number().int().optional(),
    reason: z.string().optional(),
  })
  .openapi('AuditChainReport');

const search = createRoute({
  method: 'get',
  path: base,
  tags,
  security: bearer,
  summary: "Search the region's audit events, newest first (keyset paging by seq)",
  request: { params: RegionParams, query: AuditQuery },
  responses: { 200: ok(AuditPageSchema), ...problems },
});
const auditVerify = createRoute({
  method: 'get',
  path: `${base}/verify`,
  tags,
  security: bearer,
  summary: "Recompute the region's audit hash chain",
  request: { params: RegionParams },
  responses: { 200: ok(AuditVerifySchema), ...problems },
});

type Lang = 'id' | 'en';
const badFilter = (field: string, code: string, lang: Lang, id: string, en: string) =>
  new ProblemError('VALIDATION_FAILED', { errors: [{ pointer: `/${field}`, field, in: 'query', code, message: lang === 'en' ? en : id }] });

export function auditRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;

  /** The conditions for "about this employee": the entity ids the events carry, and the actor and acting-for columns. */
  async function aboutEmployee(regionId: string, employeeId: string): Promise<Prisma.AuditEventWhereInput[]> {
    const evaluations = await prisma.evaluation.findMany({ where: { employeeId, regionId }, select: { id: true } });
    const ids = [employeeId, ...evaluations.map((e) => e.id)];
    return [
      { entityId: { in: ids } },
      // a task's entity id is "<evaluationId>:<kind>:<period>"
      ...evaluations.map((e) => ({ entityId: { startsWith: `${e.id}:` } })),
      { actorEmployeeId: employeeId },
      { actingForId: employeeId },
    ];
  }

  return newRouter()
    .openapi(search, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const q = c.req.valid('query');
      const lang = c.get('lang');
      if (q.from && q.to && new Date(q.from) > new Date(q.to))
        throw badFilter('to', 'out_of_range', lang, 'harus sama dengan atau setelah "from"', 'must not be before "from"');
      if (q.employeeId && q.nip) throw badFilter('nip', 'conflict', lang, 'isi employeeId atau nip, bukan keduanya', 'give employeeId or nip, not both');

      const and: Prisma.AuditEventWhereInput[] = [{ regionId: region.id }];
      if (q.employeeId || q.nip) {
        const employee = await prisma.employee.findFirst({
          where: { regionId: region.id, ...(q.nip ? { nip: q.nip } : { id: q.employeeId }) },
          select: { id: true },
        });
        if (!employee) {
          const field = q.nip ? 'nip' : 'employeeId';
          throw badFilter(field, 'unknown_employee', lang, 'pegawai tidak dikenal di daerah ini', 'no such employee in this region');
        }
        and.push({ OR: await aboutEmployee(region.id, employee.id) });
      }
      if (q.actor) {
        const user = await prisma.user.findFirst({ where: { OR: [{ id: q.actor }, { username: q.actor }] }, select: { id: true } });
        if (!user) throw badFilter('actor', 'unknown_user', lang, 'pengguna tidak dikenal', 'no such user');
        and.push({ actorUserId: user.id });
      }
      if (q.kind)
        and.push(
          q.kind.endsWith('*')
            ? { action: { startsWith: q.kind.slice(0, -1) } }
            : q.kind.endsWith('.')
              ? { action: { startsWith: q.kind } }
              : { action: q.kind },
        );
      if (q.from) and.push({ at: { gte: new Date(q.from) } });
      if (q.to) and.push({ at: { lte: new Date(q.to) } });
      if (q.before) and.push({ seq: { lt: q.before } });

      const rows = await prisma.auditEvent.findMany({
        where: { AND: and },
        orderBy: { seq: 'desc' },
        take: q.limit + 1,
        select: {
          seq: true,
          at: true,
          action: true,
          entityType: true,
          entityId: true,
          actorUserId: true,
          actorEmployeeId: true,
          actingForId: true,
          before: true,
          after: true,
          requestId: true,
        },
      });
      const page = rows.slice(0, q.limit);
      const userIds = [...new Set(page.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
      const employeeIds = [...new Set(page.flatMap((r) => [r.actorEmployeeId, r.actingForId].filter((x): x is string => !!x)))];
      const [users, employees] = await Promise.all([
        prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, username: true, displayName: true } }),
        prisma.employee.findMany({ where: { id: { in: employeeIds } }, select: { id: true, nip: true, name: true } }),
      ]);
      const userOf = new Map(users.map((u) => [u.id, u]));
      const employeeOf = new Map(employees.map((e) => [e.id, e]));
      const person = (id: string | null) => (id ? (employeeOf.get(id) ?? null) : null);
      const items = page.map((r) => {
        const u = r.actorUserId ? userOf.get(r.actorUserId) : undefined;
        return {
          seq: r.seq,
          at: r.at.toISOString(),
          action: r.action,
          entity: { type: r.entityType, id: r.entityId },
          actor:
            r.actorUserId || r.actorEmployeeId
              ? { userId: r.actorUserId, username: u?.username ?? null, displayName: u?.displayName ?? null, employee: person(r.actorEmployeeId) }
              : null,
          actingFor: person(r.actingForId),
          before: (r.before ?? null) as z.infer<typeof JsonValueSchema> | null,
          after: (r.after ?? null) as z.infer<typeof JsonValueSchema> | null,
          requestId: r.requestId,
        };
      });
      const last = page[page.length - 1];
      return c.json({ items, nextBefore: rows.length > q.limit && last ? last.seq : null }, 200);
    })
    .openapi(auditVerify, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      return c.json(await verifyAuditChain(prisma, region.id), 200);
    });
}
