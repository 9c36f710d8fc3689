import { createRoute, z } from '@hono/zod-openapi';
import {
  AnnualRatingInput,
  AppealDecisionInput,
  AppealInput,
  AppealResponseInput,
  PeriodReportInput,
  PeriodReviewInput,
  SkpDraftInput,
  TargetDecisionInput,
  type BehaviourRatings,
  type Evidence,
  type Flag,
  type Predikat,
  type Rating,
  type TaskKind,
} from '@kinerja/domain';
import type { Prisma } from '@kinerja/db';
import {
  appealWindowClosed,
  decideAppeal,
  decideTargets,
  fileAppeal,
  getState,
  rateAnnual,
  requestAppealResponse,
  respondAppeal,
  reviewReport,
  submitReport,
  submitTargets,
  type Actor,
  type EvaluationUpdate,
  type EvaluationState,
  type UpdateResult,
} from '@kinerja/workflows';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { Context } from 'hono';
import type { AppEnv, ResolvedDeps } from '../env.js';
import { authorizeEvaluation } from '../access.js';
import type { EvaluationAction } from '../policy.js';
import { workflowUpdateId } from '../idempotency.js';
import { ProblemError } from '../problem.js';
import { bearer, IdParam, jsonBody, newRouter, ok, problems, UpdateResultSchema } from '../router.js';
import { EvaluationDetailSchema, type Realisation } from '../schemas.js';

const EvalParams = z.object({ id: IdParam('id') });
const PeriodParams = z.object({
  id: IdParam('id'),
  period: z.coerce.number().int().min(1).max(12).openapi({ param: { name: 'period', in: 'path' }, example: 1 }),
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
  responses: { 200: ok(EvaluationDetailSchema), 401: problems[401], 404: problems[404] },
});

const submitTargetsRoute = createRoute({ method: 'put', path: '/evaluations/{id}/targets', tags, security: bearer, summary: 'ASN submits the SKP draft (RHK + indicators)', request: { params: EvalParams, ...jsonBody(SkpDraftInput) }, responses: updateResponses });
const decideTargetsRoute = createRoute({ method: 'post', path: '/evaluations/{id}/targets/decision', tags, security: bearer, summary: 'Supervisor approves or returns the SKP', request: { params: EvalParams, ...jsonBody(TargetDecisionInput) }, responses: updateResponses });
const submitReportRoute = createRoute({ method: 'put', path: '/evaluations/{id}/periods/{period}/report', tags, security: bearer, summary: 'ASN submits a period realisation report', request: { params: PeriodParams, ...jsonBody(PeriodReportInput) }, responses: updateResponses });
const reviewReportRoute = createRoute({ method: 'post', path: '/evaluations/{id}/periods/{period}/review', tags, security: bearer, summary: 'Supervisor rates a period report or asks for a revision', request: { params: PeriodParams, ...jsonBody(PeriodReviewInput) }, responses: updateResponses });
const rateAnnualRoute = createRoute({ method: 'post', path: '/evaluations/{id}/annual-rating', tags, security: bearer, summary: 'Supervisor records the annual rating (hasil kerja + BerAKHLAK)', request: { params: EvalParams, ...jsonBody(AnnualRatingInput) }, responses: updateResponses });
const fileAppealRoute = createRoute({ method: 'post', path: '/evaluations/{id}/appeal', tags, security: bearer, summary: 'ASN files a keberatan within the appeal window', request: { params: EvalParams, ...jsonBody(AppealInput) }, responses: updateResponses });
const requestResponseRoute = createRoute({ method: 'post', path: '/evaluations/{id}/appeal/request-response', tags, security: bearer, summary: 'Appeal reviewer asks the supervisor to respond', request: { params: EvalParams }, responses: updateResponses });
const respondAppealRoute = createRoute({ method: 'post', path: '/evaluations/{id}/appeal/response', tags, security: bearer, summary: 'Supervisor responds to the appeal', request: { params: EvalParams, ...jsonBody(AppealResponseInput) }, responses: updateResponses });
const decideAppealRoute = createRoute({ method: 'post', path: '/evaluations/{id}/appeal/decision', tags, security: bearer, summary: 'Atasan pejabat penilai decides the appeal (final)', request: { params: EvalParams, ...jsonBody(AppealDecisionInput) }, responses: updateResponses });

/** What GET /evaluations/{id} reads of the projection. */
const projectionInclude = {
  employee: { select: { id: true, nip: true, name: true, position: true, unitId: true } },
  cycle: { select: { id: true, year: true, name: true, ruleSetVersionId: true } },
  skp: { include: { rhk: { orderBy: { position: 'asc' }, include: { indicators: { orderBy: { position: 'asc' } } } } } },
  reports: { orderBy: { period: 'asc' } },
  reviews: { orderBy: { createdAt: 'asc' } },
  appeal: true,
  scores: { select: { kind: true, hasilKerja: true, perilaku: true, predikat: true, numericScore: true, flags: true, ruleSetVersionId: true, createdAt: true } },
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
    scores: e.scores.map((x) => ({ ...x, hasilKerja: x.hasilKerja as Rating, perilaku: x.perilaku as Rating, predikat: x.predikat as Predikat, flags: x.flags as Flag[] })),
    tasks: e.tasks.map((t) => ({ ...t, kind: t.kind as TaskKind })),
  };
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export function evaluationRoutes(deps: ResolvedDeps) {
  const { prisma, temporal } = deps;

  /**
   * Authorise from data, build the Actor, send the update with `{ actor, ...payload }`; a finished workflow answers
   * WRONG_PHASE (or DEADLINE_PASSED for a late keberatan, `closedWorkflowProblem`).
   * With an Idempotency-Key the update carries the key's update id (`workflowUpdateId`): a retry after the first
   * attempt died between sending the update and storing the answer gets the first update's outcome from Temporal,
   * never a second application.
   */
  async function act<P extends object>(
    c: Context<AppEnv>,
    id: string,
    action: EvaluationAction,
    update: EvaluationUpdate<P & { actor: Actor }>,
    payload: P,
  ): Promise<UpdateResult> {
    const u = c.get('user');
    const access = await authorizeEvaluation(prisma, u, id, action, deps.now());
    const actor: Actor = { userId: u.userId, employeeId: u.employeeId!, actingForId: access.actingForId, requestId: c.get('requestId') };
    const handle = temporal.workflow.getHandle(access.evaluation.workflowId);
    const updateId = workflowUpdateId(c);
    try {
      return await handle.executeUpdate(update, { args: [{ ...payload, actor }], ...(updateId ? { updateId } : {}) });
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
        const detail = { id: `${closed.message.charAt(0).toUpperCase()}${closed.message.slice(1)}.`, en: `The keberatan window closed at ${final.appealDeadline}.` };
        return new ProblemError('DEADLINE_PASSED', { cause: err, detail, extensions: { reason: closed.message } });
      }
    }
    return new ProblemError('WRONG_PHASE', { cause: err });
  }

  return newRouter()
    .openapi(getRoute, async (c) => {
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
      return c.json({ evaluation: projectionBody(projection), workflow, ...(workflowError ? { workflowError } : {}) }, 200);
    })
    .openapi(submitTargetsRoute, async (c) => {
      const { id } = c.req.valid('param');
      const skp = c.req.valid('json');
      return c.json(await act(c, id, 'submitTargets', submitTargets, { skp }), 200);
    })
    .openapi(decideTargetsRoute, async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      return c.json(await act(c, id, 'decideTargets', decideTargets, { input }), 200);
    })
    .openapi(submitReportRoute, async (c) => {
      const { id, period } = c.req.valid('param');
      const input = c.req.valid('json');
      return c.json(await act(c, id, 'submitReport', submitReport, { period, input }), 200);
    })
    .openapi(reviewReportRoute, async (c) => {
      const { id, period } = c.req.valid('param');
      const input = c.req.valid('json');
      return c.json(await act(c, id, 'reviewReport', reviewReport, { period, input }), 200);
    })
    .openapi(rateAnnualRoute, async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      return c.json(await act(c, id, 'rateAnnual', rateAnnual, { input }), 200);
    })
    .openapi(fileAppealRoute, async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      return c.json(await act(c, id, 'fileAppeal', fileAppeal, { input }), 200);
    })
    .openapi(requestResponseRoute, async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await act(c, id, 'requestAppealResponse', requestAppealResponse, {}), 200);
    })
    .openapi(respondAppealRoute, async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      return c.json(await act(c, id, 'respondAppeal', respondAppeal, { input }), 200);
    })
    .openapi(decideAppealRoute, async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      return c.json(await act(c, id, 'decideAppeal', decideAppeal, { input }), 200);
    });
}
