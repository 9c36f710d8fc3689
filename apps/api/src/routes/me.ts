import { createRoute, z } from '@hono/zod-openapi';
import { idText, Language, NOTIFICATION_CHANNELS, NotificationChannel, Phase, PositionKind, Predikat, Rating, TaskKind } from '@kinerja/domain';
import { Prisma } from '@kinerja/db';
import { actingForOf } from '../auth/middleware.js';
import type { ResolvedDeps } from '../env.js';
import { ROLES, rolesOf } from '../policy.js';
import { ProblemError } from '../problem.js';
import { bearer, jsonBody, newRouter, ok, problems } from '../router.js';
import { IsoDateTime, ScoreKindSchema, TaskStatusSchema } from '../schemas.js';

const NotificationSettingsSchema = z
  .object({
    /** the language of the user's notifications */
    language: Language,
    /** channels the user turned off: nothing is sent to them there */
    mutedChannels: z.array(NotificationChannel),
    /** where notifications reach the user (the employee record, kept by the region's admin); null: not known */
    email: z.string().nullable(),
    phone: z.string().nullable(),
  })
  .openapi('NotificationSettings');

const Ref = z.object({ id: z.string(), code: z.string(), name: z.string() });
const MeSchema = z
  .object({
    user: z.object({ id: z.string(), username: z.string(), displayName: z.string() }),
    /** null for a user without an employee record (an admin) */
    employee: z
      .object({
        id: z.string(),
        nip: z.string(),
        name: z.string(),
        position: z.string(),
        positionKind: PositionKind,
        /** e.g. "Penata Muda"; null: not recorded */
        pangkat: z.string().nullable(),
        /** golongan ruang, e.g. "III/a"; null: not recorded */
        golongan: z.string().nullable(),
        status: z.enum(['ACTIVE', 'LEFT']),
        superiorId: z.string().nullable(),
        unit: Ref,
        region: Ref,
      })
      .nullable(),
    adminRegions: z.array(Ref),
    /** employees the user acts for now (Plt/Plh delegations) */
    actingFor: z.array(z.string()),
    roles: z.array(z.enum(ROLES)),
    notifications: NotificationSettingsSchema,
  })
  .openapi('Me');

const TaskSchema = z
  .object({
    id: z.string(),
    kind: TaskKind,
    period: z.number().int().nullable(),
    status: TaskStatusSchema,
    escalated: z.boolean(),
    assigneeId: z.string(),
    /** whom the task is done for, when that is not the caller */
    actingForId: z.string().nullable(),
    dueAt: IsoDateTime.nullable(),
    overdue: z.boolean(),
    createdAt: IsoDateTime,
    evaluation: z.object({ id: z.string(), cycleId: z.string(), phase: Phase, employee: z.object({ id: z.string(), nip: z.string(), name: z.string() }) }),
  })
  .openapi('Task');

const TaskListSchema = z
  .object({
    items: z.array(TaskSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  })
  .openapi('TaskList');

const MyEvaluationsSchema = z
  .object({
    items: z.array(
      z
        .object({
          id: z.string(),
          cycleId: z.string(),
          phase: Phase,
          supervisorId: z.string().nullable(),
          reviewerId: z.string().nullable(),
          cycle: z.object({ year: z.number().int(), name: z.string() }),
          employee: z.object({ id: z.string(), nip: z.string(), name: z.string(), position: z.string() }),
          scores: z.array(z.object({ kind: ScoreKindSchema, predikat: Predikat, hasilKerja: Rating, perilaku: Rating })),
          /** the open tasks on this evaluation that are the caller's, or of someone they act for (Plt/Plh), soonest due first */
          openTasks: z.array(TaskSchema),
        })
        .openapi('EvaluationSummary'),
    ),
    /**
     * The caller's open tasks (and those of whom they act for) on evaluations not listed, never on the caller's own:
     * tasks escalated to them, keberatan they decide while listing as=supervisor. Soonest due first, at most 100.
     */
    otherTasks: z.array(TaskSchema),
  })
  .openapi('EvaluationSummaryList');

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['me'],
  summary: 'The signed-in user, their employee record, admin regions, roles (derived from data) and notification settings',
  security: bearer,
  responses: { 200: ok(MeSchema), 401: problems[401] },
});

const NotificationSettingsInput = z
  .object({
    language: Language,
    /** each channel at most once; [] turns every channel on */
    mutedChannels: z.array(NotificationChannel).max(NOTIFICATION_CHANNELS.length),
  })
  .strict()
  .openapi('NotificationSettingsInput');

const putNotificationSettings = createRoute({
  method: 'put',
  path: '/me/notification-settings',
  tags: ['me'],
  summary: "Set my notifications' language ('id' or 'en') and the channels (EMAIL, WHATSAPP, SMS) I turned off",
  description: 'Applies to notifications written from now on; the e-mail address and phone number are kept by the admin on the employee record.',
  security: bearer,
  request: jsonBody(NotificationSettingsInput),
  responses: { 200: ok(NotificationSettingsSchema), 400: problems[400], 401: problems[401], 413: problems[413], 415: problems[415], 422: problems[422] },
});

const TaskQuery = z
  .object({
    kind: TaskKind.optional(),
    status: z.enum(['OPEN', 'DONE', 'CANCELLED']).default('OPEN'),
    cycleId: idText(64).optional(),
    sort: z.enum(['dueAt', '-dueAt', 'createdAt', '-createdAt']).default('dueAt'),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const tasksRoute = createRoute({
  method: 'get',
  path: '/me/tasks',
  tags: ['me'],
  summary: 'My inbox: tasks assigned to me and to the people I act for (Plt/Plh), from the Task projection',
  security: bearer,
  request: { query: TaskQuery },
  responses: { 200: ok(TaskListSchema), 401: problems[401], 422: problems[422] },
});

const EvalQuery = z
  .object({
    as: z.enum(['employee', 'supervisor', 'reviewer']).default('employee'),
    cycleId: idText(64).optional(),
  })
  .strict();

const myEvaluationsRoute = createRoute({
  method: 'get',
  path: '/me/evaluations',
  tags: ['me'],
  summary: 'My evaluations (as=employee), or those I rate (as=supervisor) or review appeals for (as=reviewer)',
  security: bearer,
  request: { query: EvalQuery },
  responses: { 200: ok(MyEvaluationsSchema), 401: problems[401], 422: problems[422] },
});

/** What a task row carries to its schema: the evaluation it belongs to, briefly. */
const taskInclude = { evaluation: { select: { id: true, cycleId: true, phase: true, employee: { select: { id: true, nip: true, name: true } } } } } as const;
// dueAt is nullable (tasks without a deadline last)
const soonestDue = [{ dueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }] as const;
/** the listed evaluations' tasks are bounded by the list (500 evaluations, a few open tasks each); this caps a bad day */
const LISTED_TASKS_MAX = 2000;
const OTHER_TASKS_MAX = 100;

/** What taskView reads of a task: Prisma's rows (taskInclude) and the task list's own statement both carry it. */
type TaskRow = Pick<
  Prisma.TaskGetPayload<{ include: typeof taskInclude }>,
  'id' | 'kind' | 'period' | 'status' | 'escalated' | 'assigneeId' | 'actingForId' | 'dueAt' | 'createdAt' | 'evaluation'
>;

/** A row of GET /me/tasks's statement (TASK_LIST_COLUMNS): the task with its evaluation and employee, flat. */
type TaskListRow = Omit<TaskRow, 'evaluation'> & {
  evaluationId: string;
  cycleId: string;
  phase: TaskRow['evaluation']['phase'];
  employeeId: string;
  nip: string;
  name: string;
};
const TASK_LIST_COLUMNS = Prisma.sql`t.id, t.kind, t.period, t.status::text AS status, t.escalated, t."assigneeId", t."actingForId",
  t."dueAt", t."createdAt", t."evaluationId", e."cycleId", e.phase::text AS phase, emp.id AS "employeeId", emp.nip, emp.name`;

function taskRow(r: TaskListRow): TaskRow {
  return {
    id: r.id,
    kind: r.kind,
    period: r.period,
    status: r.status,
    escalated: r.escalated,
    assigneeId: r.assigneeId,
    actingForId: r.actingForId,
    dueAt: r.dueAt,
    createdAt: r.createdAt,
    evaluation: { id: r.evaluationId, cycleId: r.cycleId, phase: r.phase, employee: { id: r.employeeId, nip: r.nip, name: r.name } },
  };
}

/** GET /me's statement: the user's settings and employee record (null columns without one) beside the caller's roles */
interface ProfileRow {
  language: string;
  mutedChannels: string[];
  employeeId: string | null;
  nip: string | null;
  name: string | null;
  position: string | null;
  positionKind: string | null;
  pangkat: string | null;
  golongan: string | null;
  status: string | null;
  superiorId: string | null;
  email: string | null;
  phone: string | null;
  unitId: string | null;
  unitCode: string | null;
  unitName: string | null;
  regionId: string | null;
  regionCode: string | null;
  regionName: string | null;
  hasSubordinates: boolean;
  isReviewer: boolean;
  adminRegions: { id: string; code: string; name: string }[];
}

function settingsView(
  language: string,
  mutedChannels: readonly string[],
  contact: { email: string | null; phone: string | null } | null,
): z.infer<typeof NotificationSettingsSchema> {
  return {
    // written only through the input schema or the column's default ('id')
    language: language === 'en' ? 'en' : 'id',
    mutedChannels: NOTIFICATION_CHANNELS.filter((ch) => mutedChannels.includes(ch)),
    email: contact?.email ?? null,
    phone: contact?.phone ?? null,
  };
}

function taskView(t: TaskRow, callerId: string, now: Date): z.infer<typeof TaskSchema> {
  return {
    id: t.id,
    kind: t.kind as TaskKind,
    period: t.period,
    status: t.status,
    escalated: t.escalated,
    assigneeId: t.assigneeId,
    actingForId: t.actingForId ?? (t.assigneeId !== callerId ? t.assigneeId : null),
    dueAt: t.dueAt?.toISOString() ?? null,
    overdue: t.status === 'OPEN' && t.dueAt !== null && t.dueAt.getTime() < now.getTime(),
    createdAt: t.createdAt.toISOString(),
    evaluation: t.evaluation,
  };
}

export function meRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;

  async function notificationSettings(userId: string): Promise<z.infer<typeof NotificationSettingsSchema>> {
    const u = await prisma.user.findUniqueOrThrow({
      where: { id: userId },
      select: { language: true, mutedChannels: true, employee: { select: { email: true, phone: true } } },
    });
    return settingsView(u.language, u.mutedChannels, u.employee);
  }

  return newRouter()
    .openapi(meRoute, async (c) => {
      const u = c.get('user');
      const actingFor = [...actingForOf(u)];
      // one statement beside the authentication's: the user's settings, employee record (unit, region, contact),
      // whether anyone reports to them or they review an evaluation, and the regions they administer
      const [row] = await prisma.$queryRaw<ProfileRow[]>`
        SELECT u.language, u."mutedChannels"::text[] AS "mutedChannels",
          e.id AS "employeeId", e.nip, e.name, e.position, e."positionKind"::text AS "positionKind", e.pangkat, e.golongan,
          e.status::text AS status, e."superiorId", e.email, e.phone,
          un.id AS "unitId", un.code AS "unitCode", un.name AS "unitName", r.id AS "regionId", r.code AS "regionCode", r.name AS "regionName",
          EXISTS (SELECT 1 FROM "Employee" s WHERE s."superiorId" = e.id AND s.status = 'ACTIVE') AS "hasSubordinates",
          EXISTS (SELECT 1 FROM "Evaluation" v WHERE v."reviewerId" = e.id) AS "isReviewer",
          COALESCE(
            (SELECT json_agg(json_build_object('id', g.id, 'code', g.code, 'name', g.name) ORDER BY g.code)
             FROM "Region" g WHERE g.id IN (SELECT a."regionId" FROM "AdminGrant" a WHERE a."userId" = u.id)),
            '[]'::json
          ) AS "adminRegions"
        FROM "User" u
        LEFT JOIN "Employee" e ON e.id = u."employeeId"
        LEFT JOIN "Unit" un ON un.id = e."unitId"
        LEFT JOIN "Region" r ON r.id = e."regionId"
        WHERE u.id = ${u.userId}`;
      // deleted since the authentication read it
      if (!row) throw new ProblemError('UNAUTHENTICATED');
      const employee =
        row.employeeId === null
          ? null
          : {
              id: row.employeeId,
              nip: row.nip!,
              name: row.name!,
              position: row.position!,
              positionKind: row.positionKind as PositionKind,
              pangkat: row.pangkat,
              golongan: row.golongan,
              status: row.status as 'ACTIVE' | 'LEFT',
              superiorId: row.superiorId,
              unit: { id: row.unitId!, code: row.unitCode!, name: row.unitName! },
              region: { id: row.regionId!, code: row.regionCode!, name: row.regionName! },
            };
      return c.json(
        {
          user: { id: u.userId, username: u.username, displayName: u.displayName },
          employee,
          adminRegions: row.adminRegions,
          actingFor,
          roles: rolesOf({
            adminRegionIds: u.adminRegionIds,
            employeeId: u.employeeId,
            hasSubordinates: row.hasSubordinates,
            actsForSomeone: actingFor.length > 0,
            isReviewer: row.isReviewer,
          }),
          notifications: settingsView(row.language, row.mutedChannels, row.employeeId === null ? null : row),
        },
        200,
      );
    })
    .openapi(putNotificationSettings, async (c) => {
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const seen = new Map<string, number>();
      input.mutedChannels.forEach((ch, i) => {
        const first = seen.get(ch);
        if (first !== undefined) {
          throw new ProblemError('VALIDATION_FAILED', {
            errors: [
              {
                pointer: `/mutedChannels/${i}`,
                field: `mutedChannels.${i}`,
                code: 'duplicate',
                message: lang === 'en' ? `${ch} is already listed at index ${first}` : `${ch} sudah ada pada indeks ${first}`,
              },
            ],
          });
        }
        seen.set(ch, i);
      });
      const userId = c.get('user').userId;
      await prisma.user.update({
        where: { id: userId },
        data: { language: input.language, mutedChannels: NOTIFICATION_CHANNELS.filter((ch) => seen.has(ch)) },
      });
      return c.json(await notificationSettings(userId), 200);
    })
    .openapi(tasksRoute, async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      const now = deps.now();
      const selfId = u.employeeId;
      if (!selfId) return c.json({ items: [], page: q.page, limit: q.limit, total: 0 }, 200);
      const assignees = [selfId, ...actingForOf(u)];
      const filter = Prisma.sql`t."assigneeId" IN (${Prisma.join(assignees)}) AND t.status = CAST(${q.status}::text AS "TaskStatus")
        ${q.kind ? Prisma.sql`AND t.kind = ${q.kind}` : Prisma.empty} ${q.cycleId ? Prisma.sql`AND e."cycleId" = ${q.cycleId}` : Prisma.empty}`;
      const desc = q.sort.startsWith('-');
      // tasks without a deadline last, either way
      const order = q.sort.endsWith('dueAt')
        ? desc
          ? Prisma.sql`t."dueAt" DESC NULLS LAST`
          : Prisma.sql`t."dueAt" ASC NULLS LAST`
        : desc
          ? Prisma.sql`t."createdAt" DESC`
          : Prisma.sql`t."createdAt" ASC`;
      // the page and the total in one statement: the window counts every matching task before LIMIT applies
      const rows = await prisma.$queryRaw<(TaskListRow & { total: number })[]>`
        SELECT ${TASK_LIST_COLUMNS}, count(*) OVER ()::int AS total
        FROM "Task" t JOIN "Evaluation" e ON e.id = t."evaluationId" JOIN "Employee" emp ON emp.id = e."employeeId"
        WHERE ${filter}
        ORDER BY ${order}, t.id ASC
        LIMIT ${q.limit} OFFSET ${(q.page - 1) * q.limit}`;
      // a page past the end has no row to carry the total: only then is it counted on its own
      const total =
        rows[0]?.total ??
        (q.page === 1
          ? 0
          : (
              await prisma.$queryRaw<{ n: number }[]>`
                SELECT count(*)::int AS n FROM "Task" t JOIN "Evaluation" e ON e.id = t."evaluationId" WHERE ${filter}`
            )[0]!.n);
      const items = rows.map((t) => taskView(taskRow(t), selfId, now));
      return c.json({ items, page: q.page, limit: q.limit, total }, 200);
    })
    .openapi(myEvaluationsRoute, async (c) => {
      const u = c.get('user');
      const q = c.req.valid('query');
      if (!u.employeeId) return c.json({ items: [], otherTasks: [] }, 200);
      const selfId = u.employeeId;
      const now = deps.now();
      // whose tasks are the caller's: their own and, always, those of whom they act for (an inbox's worth)
      const assignees = [selfId, ...actingForOf(u)];
      const ids = q.as === 'employee' ? [selfId] : assignees;
      const who =
        q.as === 'employee'
          ? { employeeId: u.employeeId }
          : q.as === 'supervisor'
            ? { supervisorId: { in: ids }, employeeId: { not: u.employeeId } }
            : { reviewerId: { in: ids }, employeeId: { not: u.employeeId } };
      const rows = await prisma.evaluation.findMany({
        where: { ...who, ...(q.cycleId ? { cycleId: q.cycleId } : {}) },
        orderBy: { createdAt: 'desc' },
        take: 500,
        select: {
          id: true,
          cycleId: true,
          phase: true,
          supervisorId: true,
          reviewerId: true,
          cycle: { select: { year: true, name: true } },
          employee: { select: { id: true, nip: true, name: true, position: true } },
          scores: { select: { kind: true, predikat: true, hasilKerja: true, perilaku: true } },
        },
      });
      const listed = rows.map((e) => e.id);
      // two indexed queries (Task by assignee and status) for every listed evaluation at once, and the rest
      const [listedTasks, otherRows] = await Promise.all([
        listed.length
          ? prisma.task.findMany({
              where: { assigneeId: { in: assignees }, status: 'OPEN', evaluationId: { in: listed } },
              orderBy: [...soonestDue],
              take: LISTED_TASKS_MAX,
              include: taskInclude,
            })
          : [],
        prisma.task.findMany({
          where: { assigneeId: { in: assignees }, status: 'OPEN', evaluationId: { notIn: listed }, evaluation: { employeeId: { not: selfId } } },
          orderBy: [...soonestDue],
          take: OTHER_TASKS_MAX,
          include: taskInclude,
        }),
      ]);
      const byEvaluation = new Map<string, z.infer<typeof TaskSchema>[]>();
      for (const t of listedTasks) {
        const list = byEvaluation.get(t.evaluationId) ?? [];
        list.push(taskView(t, selfId, now));
        byEvaluation.set(t.evaluationId, list);
      }
      // score columns hold the domain values the worker wrote from the rule set's result
      const items = rows.map((e) => ({
        ...e,
        scores: e.scores.map((x) => ({ ...x, predikat: x.predikat as Predikat, hasilKerja: x.hasilKerja as Rating, perilaku: x.perilaku as Rating })),
        openTasks: byEvaluation.get(e.id) ?? [],
      }));
      return c.json({ items, otherTasks: otherRows.map((t) => taskView(t, selfId, now)) }, 200);
    });
}
