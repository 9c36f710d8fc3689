/**
 * The rule set's answer to a proposed annual rating, before the supervisor records it: the evaluation's pinned
 * rule-set version evaluated on the year's facts with the proposed rating, recorded-outcome fallbacks included, so
 * the preview is what the recorded rating produces. Read-only: nothing is written, nothing audited.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { AnnualRatingInput, Flag, Predikat, Rating } from '@kinerja/domain';
import { loadYearSnapshot } from '@kinerja/db';
import { evaluate, explainReasons, recordedOutcome, yearFacts, type RuleSetDocument } from '@kinerja/rules';
import { getState } from '@kinerja/workflows';
import { authorizeEvaluation } from '../access.js';
import type { ResolvedDeps } from '../env.js';
import { ProblemError } from '../problem.js';
import { bearer, IdParam, jsonBody, newRouter, ok, problems } from '../router.js';

export const AnnualRatingPreviewSchema = z
  .object({
    ruleSet: z.object({ versionId: z.string(), key: z.string(), hash: z.string() }),
    hasilKerja: Rating,
    perilaku: Rating,
    predikat: Predikat,
    numericScore: z.number(),
    flags: z.array(Flag),
    reasons: z.array(
      z.object({ id: z.string(), en: z.string().optional().openapi({ description: "the rule's English reason, when the rule set carries one" }) }).strict(),
    ),
    suggestedHasilKerja: Rating.nullable().openapi({ description: 'hasil kerja the rule set suggests from the capaian; null when it gives none' }),
  })
  .strict()
  .openapi('AnnualRatingPreview');

const previewRoute = createRoute({
  method: 'post',
  path: '/evaluations/{id}/annual-rating/preview',
  tags: ['evaluations'],
  security: bearer,
  summary: "The rule set's predikat, score, flags and reasons for a proposed annual rating (writes nothing)",
  request: { params: z.object({ id: IdParam('id') }), ...jsonBody(AnnualRatingInput) },
  responses: { 200: ok(AnnualRatingPreviewSchema), ...problems },
});

const LIVE_STATE_MS = 5_000;

export function annualPreviewRoutes(deps: ResolvedDeps) {
  const { prisma, temporal } = deps;

  /**
   * The phase the rating would meet: the workflow's (the projection follows it a moment later), the projection's
   * when the live state cannot be read.
   */
  async function phaseOf(workflowId: string, projected: string): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), LIVE_STATE_MS);
      timer.unref();
    });
    const live = await Promise.race([temporal.workflow.getHandle(workflowId).query(getState), timeout]).catch(() => null);
    clearTimeout(timer);
    return live?.phase ?? projected;
  }

  return newRouter().openapi(previewRoute, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    // whoever may record the rating may preview it (the supervisor, a delegate, the escalated reviewer)
    const access = await authorizeEvaluation(prisma, c.get('user'), id, 'rateAnnual', deps.now());
    // outside the annual rating there is nothing to propose: the answer the rating itself gets there
    if ((await phaseOf(access.evaluation.workflowId, access.evaluation.phase)) !== 'ANNUAL_RATING') throw new ProblemError('WRONG_PHASE');
    // the facts come from the projection: until it has reached the annual rating too it may lack the last periods'
    // outcomes, and a preview from them could disagree with what scoring records; the caller retries shortly
    if (access.evaluation.phase !== 'ANNUAL_RATING') {
      throw new ProblemError('WRONG_PHASE', {
        detail: {
          id: 'Penilaian tahunan baru saja dimulai dan datanya belum lengkap; coba lagi sebentar lagi.',
          en: 'The annual rating has just begun and its data is not complete yet; try again in a moment.',
        },
      });
    }
    const cycle = await prisma.cycle.findUniqueOrThrow({
      where: { id: access.evaluation.cycleId },
      select: { ruleSetVersion: { select: { id: true, document: true } } },
    });
    const doc = cycle.ruleSetVersion.document as unknown as RuleSetDocument;
    const facts = yearFacts(await loadYearSnapshot(prisma, id), input);
    const out = await evaluate(doc, facts);
    const { reasons, ...result } = recordedOutcome(out);
    return c.json(
      {
        ruleSet: { versionId: cycle.ruleSetVersion.id, ...out.ruleSet },
        ...result,
        reasons: explainReasons(doc, facts, { reasons }),
        suggestedHasilKerja: out.suggestions.hasilKerja,
      },
      200,
    );
  });
}
