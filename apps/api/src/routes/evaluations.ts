import { createRoute, z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import * as domain from '@kinerja/domain';
import type { BehaviourRatings, Evidence, Flag, Lang, Predikat, Rating, TaskKind } from '@kinerja/domain';
import type { Prisma, PrismaClient } from '@kinerja/db';
import {
  appealWindowClosed,
  COMMAND_NAMES,
  COMMAND_UPDATES,
  EVALUATION_COMMANDS,
  getState,
  type Actor,
  type CommandArgs,
  type CommandName,
  type CommandPayload,
  type CommandSpec,
  type CommandUpdate,
  type EvaluationState,
  type PayloadSchemaName,
  type UpdateResult,
} from '@kinerja/workflows';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { Context } from 'hono';
import type { AppEnv, ResolvedDeps } from '../env.js';
import { authorizeEvaluation } from '../access.js';
import type { EvaluationAction } from '../policy.js';
import { workflowUpdateId } from '../idempotency.js';
import { ProblemError, type FieldError } from '../problem.js';
import { bearer, IdParam, jsonBody, newRouter, ok, problems, UpdateResultSchema } from '../router.js';
import { EvaluationDetailSchema, type Realisation, type SuperiorRhk } from '../schemas.js';
import { resolveEvidenceFiles } from './evidence.js';

const EvalParams = z.object({ id: IdParam('id') });
const PeriodParams = z.object({
  id: IdParam('id'),
  period: z.coerce
    .number()
    .int()
    .min(1)
    .max(12)
    .openapi({ param: { name: 'period', in: 'path' }, example: 1 }),
});

const tags = ['evaluations'];
const updateResponses = { 200: ok(UpdateResultSchema), ...problems } as const;

const getRoute = createRoute({
  method: 'get',
  path: '/evaluations/{id}',
  tags,
  summary: 'One evaluation: database projection plus the live workflow state (getState query)',
  security: bearer,
  request: { params: EvalParams },
  responses: { 200: ok(EvaluationDetailSchema), ...problems },
});

/**
 * The commands' routes, one per row of the command table (@kinerja/workflows EVALUATION_COMMANDS): its method, path,
 * summary and body schema; the path's {period} when the row names one. Every command answers UpdateResult.
 */
type Row<N extends CommandName> = (typeof EVALUATION_COMMANDS)[N];
type BodySchemaOf<N extends CommandName> = Row<N> extends { body: { schema: infer S extends PayloadSchemaName } } ? (typeof domain)[S] : never;
type CommandRoute<N extends CommandName> = {
  method: Row<N>['method'];
  path: Row<N>['path'];
  request: { params: Row<N> extends { period: true } ? typeof PeriodParams : typeof EvalParams } & ([BodySchemaOf<N>] extends [never]
    ? unknown
    : { body: { content: { 'application/json': { schema: BodySchemaOf<N> } }; required: true } });
  responses: typeof updateResponses;
};

function commandRoute(name: CommandName): RouteConfig {
  const row: CommandSpec = EVALUATION_COMMANDS[name];
  const body = row.body ? jsonBody(domain[row.body.schema] as z.ZodType) : {};
  return createRoute({
    method: row.method,
    path: row.path,
    tags,
    security: bearer,
    summary: row.summary,
    request: { params: row.period ? PeriodParams : EvalParams, ...body },
    responses: updateResponses,
  });
}

/** What the router serves for the commands, as the typed client sees it: one route per row. */
declare const _router: OpenAPIHono<AppEnv>;
type Served<N extends CommandName> = ReturnType<typeof _router.openapi<CommandRoute<N>>> extends OpenAPIHono<AppEnv, infer S> ? S : never;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type CommandsSchema = UnionToIntersection<{ [N in CommandName]: Served<N> }[CommandName]>;

/** What GET /evaluations/{id} reads of the projection. */
const projectionInclude = {
  employee: { select: { id: true, nip: true, name: true, position: true, unitId: true } },
  cycle: { select: { id: true, year: true, name: true, ruleSetVersionId: true } },
  skp: { include: { rhk: { orderBy: { position: 'asc' }, include: { indicators: { orderBy: { position: 'asc' } } } } } },
  reports: { orderBy: { period: 'asc' } },
  reviews: { orderBy: { createdAt: 'asc' } },
  appeal: true,
  scores: {
    select: { kind: true, hasilKerja: true, perilaku: true, predikat: true, numericScore: true, flags: true, ruleSetVersionId: true, createdAt: true },
  },
  tasks: { where: { status: 'OPEN' }, orderBy: { dueAt: 'asc' } },
} satisfies Prisma.EvaluationInclude;
type Projection = Prisma.EvaluationGetPayload<{ include: typeof projectionInclude }>;

/**
 * The projection as EvaluationProjection describes it. Columns the database keeps as plain text or JSON hold only what
 * the worker wrote from validated commands and domain values (ratings, predikat, decisions, task kinds, realisations,
 * evidence): they are narrowed here to the domain types they were written from.
 */
function projectionBody(e: Projection) {
  return {
    ...e,
    reports: e.reports.map((r) => ({
      ...r,
      realisations: r.realisations as Realisation[] | null,
      evidence: r.evidence as Evidence[] | null,
      rating: r.rating as Rating | null,
    })),
    reviews: e.reviews.map((r) => ({
      ...r,
      decision: r.decision as 'RATE' | 'REQUEST_REVISION' | 'UPHOLD' | 'REVISE',
      hasilKerja: r.hasilKerja as Rating | null,
      perilaku: r.perilaku as BehaviourRatings | null,
    })),
    appeal: e.appeal && { ...e.appeal, decision: e.appeal.decision as 'UPHOLD' | 'REVISE' | null },
    scores: e.scores.map((x) => ({
      ...x,
      hasilKerja: x.hasilKerja as Rating,
      perilaku: x.perilaku as Rating,
      predikat: x.predikat as Predikat,
      flags: x.flags as Flag[],
    })),
    tasks: e.tasks.map((t) => ({ ...t, kind: t.kind as TaskKind })),
  };
}

/**
 * The RHK of the pejabat penilai's SKP in the evaluation's cycle: the supervisor the projection holds from the
 * workflow's state, their evaluation in the same cycle, its SKP. Empty without a supervisor or a superior SKP.
 */
async function superiorRhkOf(prisma: PrismaClient, e: { cycleId: string; supervisorId: string | null }): Promise<SuperiorRhk[]> {
  if (!e.supervisorId) return [];
  const superior = await prisma.evaluation.findUnique({
    where: { cycleId_employeeId: { cycleId: e.cycleId, employeeId: e.supervisorId } },
    select: {
      skp: {
        select: {
          rhk: {
            orderBy: { position: 'asc' },
            select: { id: true, title: true, indicators: { orderBy: { position: 'asc' }, select: { id: true, name: true } } },
          },
        },
      },
    },
  });
  return superior?.skp?.rhk ?? [];
}

const msg = (lang: Lang, id: string, en: string) => (lang === 'en' ? en : id);

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export function evaluationRoutes(deps: ResolvedDeps) {
  const { prisma, temporal } = deps;

  /**
   * What the API adds to a command's payload before sending it, once the caller is authorised: a report's uploaded
   * files (evidence FILE) must be this evaluation's and this period's, and carry the type, size and SHA-256 stored with the upload.
   */
  const prepare: { [N in CommandName]?: (payload: CommandPayload<N>, evaluationId: string, lang: Lang) => Promise<CommandPayload<N>> } = {
    submitReport: async (p, evaluationId, lang) => ({
      ...p,
      input: { ...p.input, evidence: await resolveEvidenceFiles(prisma, evaluationId, p.period, p.input.evidence, lang) },
    }),
    // an RHK supports one of the pejabat penilai's RHK or none; the workflow and the projection take the id as given
    submitTargets: async (p, evaluationId, lang) => {
      if (!p.skp.rhk.some((r) => r.parentRhkId !== undefined)) return p;
      const e = await prisma.evaluation.findUniqueOrThrow({ where: { id: evaluationId }, select: { cycleId: true, supervisorId: true } });
      const allowed = new Set((await superiorRhkOf(prisma, e)).map((r) => r.id));
      const errors: FieldError[] = p.skp.rhk.flatMap((r, i) =>
        r.parentRhkId === undefined || allowed.has(r.parentRhkId)
          ? []
          : [
              {
                pointer: `/rhk/${i}/parentRhkId`,
                field: `rhk.${i}.parentRhkId`,
                code: 'unknown_superior_rhk',
                message: msg(lang, 'bukan RHK pada SKP pejabat penilai di siklus ini', "not an RHK of the pejabat penilai's SKP in this cycle"),
              },
            ],
      );
      if (errors.length > 0) throw new ProblemError('VALIDATION_FAILED', { errors });
      return p;
    },
  };

  /**
   * Authorise from data, build the Actor, send the update with `{ actor, ...payload }`; a finished workflow answers
   * WRONG_PHASE (or DEADLINE_PASSED for a late keberatan, `closedWorkflowProblem`).
   * With an Idempotency-Key the update carries the key's update id (`workflowUpdateId`): a retry after the first
   * attempt died between sending the update and storing the answer gets the first update's outcome from Temporal,
   * never a second application.
   */
  async function act<N extends CommandName>(c: Context<AppEnv>, id: string, action: N, given: CommandPayload<N>): Promise<UpdateResult> {
    const update = COMMAND_UPDATES[action] as CommandUpdate<N>;
    const u = c.get('user');
    const access = await authorizeEvaluation(prisma, u, id, action, deps.now());
    const step = prepare[action];
    const payload = step ? await step(given, access.evaluation.id, c.get('lang')) : given;
    const actor: Actor = { userId: u.userId, employeeId: u.employeeId!, actingForId: access.actingForId, requestId: c.get('requestId') };
    const handle = temporal.workflow.getHandle(access.evaluation.workflowId);
    const updateId = workflowUpdateId(c);
    // the route parsed the body with the row's schema (commandRoute), so the workflow need not parse it again
    const bodyCheckedAs = (EVALUATION_COMMANDS[action] as CommandSpec).body?.schema;
    const args = { ...(payload as object), actor, ...(bodyCheckedAs ? { bodyCheckedAs } : {}) } as CommandArgs<N>;
    try {
      return await handle.executeUpdate(update, { args: [args], ...(updateId ? { updateId } : {}) });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await closedWorkflowProblem(handle, action, err);
      throw err;
    }
  }

  /**
   * A workflow that has finished answers no update (Temporal reports it as not found). A keberatan then comes after
   * its window (the window's end finalises the result and ends the workflow): say so and when, from the workflow's
   * final state. Anything else, or no final state to read, is WRONG_PHASE.
   */
  async function closedWorkflowProblem(handle: WorkflowHandle, action: EvaluationAction, err: unknown): Promise<ProblemError> {
    if (action === 'fileAppeal') {
      const final = await within(handle.result() as Promise<EvaluationState>, 5_000).catch(() => null);
      const endsAt = final?.appealDeadline ? Date.parse(final.appealDeadline) : NaN;
      if (final?.phase === 'FINAL' && !final.appeal && Number.isFinite(endsAt)) {
        const closed = appealWindowClosed(endsAt);
        const detail = {
          id: `${closed.message.charAt(0).toUpperCase()}${closed.message.slice(1)}.`,
          en: `The keberatan window closed at ${final.appealDeadline}.`,
        };
        return new ProblemError('DEADLINE_PASSED', { cause: err, detail, extensions: { reason: closed.message } });
      }
    }
    return new ProblemError('WRONG_PHASE', { cause: err });
  }

  const router = newRouter().openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const access = await authorizeEvaluation(prisma, c.get('user'), id, 'view', deps.now());
    const projection = await prisma.evaluation.findUnique({
      where: { id },
      include: projectionInclude,
    });
    if (!projection) throw new ProblemError('NOT_FOUND');
    let workflow: EvaluationState | null = null;
    let workflowError: string | undefined;
    try {
      workflow = await within(temporal.workflow.getHandle(access.evaluation.workflowId).query(getState), 5000);
    } catch (err) {
      workflowError = err instanceof Error ? err.name : 'unavailable';
    }
    const superiorRhk = await superiorRhkOf(prisma, projection);
    return c.json({ evaluation: projectionBody(projection), superiorRhk, workflow, ...(workflowError ? { workflowError } : {}) }, 200);
  });

  /** One handler for every command: the period from the path and the body under the row's key make the payload. */
  const send = (name: CommandName) => async (c: Context<AppEnv>) => {
    const row: CommandSpec = EVALUATION_COMMANDS[name];
    const params = (c.req.valid as (t: 'param') => { id: string; period?: number })('param');
    const body = row.body ? (c.req.valid as (t: 'json') => unknown)('json') : undefined;
    const payload = { ...(row.period ? { period: params.period } : {}), ...(row.body ? { [row.body.key]: body } : {}) } as CommandPayload<typeof name>;
    return c.json(await act(c, params.id, name, payload), 200);
  };
  for (const name of COMMAND_NAMES) router.openapi(commandRoute(name), send(name) as never);
  type GetSchema = typeof router extends OpenAPIHono<AppEnv, infer S> ? S : never;
  return router as unknown as OpenAPIHono<AppEnv, GetSchema & CommandsSchema>;
}
