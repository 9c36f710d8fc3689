/**
 * Unit calibration (SE MenPANRB 03/2023): before a unit's results are final, the distribution of its staff's
 * predikat is checked against the unit's own predikat. The admin sees the violations and either finalises the unit
 * (a reason is required when it violates the bounds) or sends results back to the supervisors for re-rating.
 * Only cycles opened with `unitCalibration: true` wait for this; their evaluations sit in phase CALIBRATION.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  checkDistribution,
  idText,
  multilineText,
  Phase,
  predikatShares,
  Predikat,
  UnitPredikat,
  type DistributionViolation,
  type Predikat as PredikatT,
} from '@kinerja/domain';
import { unitCalibrated } from '@kinerja/workflows';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError } from '../../problem.js';
import { bearer, jsonBody, newRouter, ok, problems } from '../../router.js';
import { IsoDateTime } from '../../schemas.js';
import { audit, RegionParams } from './common.js';

const tags = ['admin: calibration'];
const path = '/admin/regions/{regionCode}/cycles/{cycleId}/units/{unitId}/calibration';

const Params = RegionParams.extend({
  cycleId: idText(64).openapi({ param: { name: 'cycleId', in: 'path' } }),
  unitId: idText(64).openapi({ param: { name: 'unitId', in: 'path' } }),
});
const PreviewQuery = z.object({ unitPredikat: UnitPredikat.optional() }).strict();

const Decision = z
  .object({
    unitPredikat: UnitPredikat,
    decision: z.enum(['FINALISE', 'SEND_BACK']),
    reason: multilineText({ min: 10, max: 5000 }).optional(),
    /** SEND_BACK only: which evaluations go back for re-rating (default: every one waiting in the unit) */
    evaluationIds: z.array(idText(64)).min(1).max(10_000).optional(),
  })
  .strict()
  .openapi('CalibrationDecision');

const ViolationSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    actual: z.number().openapi({ description: 'the observed share, 0..1' }),
    bound: z.number().openapi({ description: 'the bound it breaks, 0..1' }),
  })
  .openapi('DistributionViolation');
const UnitResultSchema = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    unitId: z.string(),
    unitPredikat: UnitPredikat,
    status: z.enum(['CHECKED', 'SENT_BACK', 'FINALISED']),
    violations: z.array(ViolationSchema),
    reason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: IsoDateTime.nullable(),
  })
  .openapi('UnitResult');
const PredikatCounts = z.record(Predikat, z.number());
const CalibrationPreviewSchema = z
  .object({
    cycle: z.object({ id: z.string(), year: z.number().int(), unitCalibration: z.boolean() }),
    unit: z.object({ id: z.string(), code: z.string(), name: z.string() }),
    unitPredikat: UnitPredikat.nullable(),
    unitResult: UnitResultSchema.nullable(),
    staff: z.number().int(),
    scored: z.number().int(),
    /** evaluations waiting in phase CALIBRATION */
    waiting: z.number().int(),
    /** evaluations without a (current) predikat yet */
    pending: z.number().int(),
    distribution: PredikatCounts,
    /** share of each predikat, 0..1 */
    shares: PredikatCounts,
    violations: z.array(ViolationSchema),
    evaluations: z.array(z.object({ id: z.string(), phase: Phase, employee: z.object({ nip: z.string(), name: z.string() }), predikat: Predikat.nullable() })),
  })
  .openapi('CalibrationPreview');
const CalibrationResultSchema = z
  .object({
    unitResult: UnitResultSchema,
    violations: z.array(ViolationSchema),
    distribution: PredikatCounts,
    /** workflows told of the decision */
    signalled: z.number().int(),
    /** evaluations whose workflow could not be told (ids) */
    failed: z.array(z.string()),
  })
  .openapi('CalibrationResult');

type UnitResultRow = { unitPredikat: string; status: string; violations: unknown };
/** The row as UnitResult describes it: the columns hold what `decide` wrote from the validated decision. */
const unitResultBody = <R extends UnitResultRow>({ unitPredikat, status, violations, ...r }: R) => ({
  ...r,
  unitPredikat: unitPredikat as UnitPredikat,
  status: status as 'CHECKED' | 'SENT_BACK' | 'FINALISED',
  violations: violations as DistributionViolation[],
});

const preview = createRoute({
  method: 'get',
  path,
  tags,
  security: bearer,
  summary: "The unit's predikat distribution against its own predikat, with violations and what is still pending",
  request: { params: Params, query: PreviewQuery },
  responses: { 200: ok(CalibrationPreviewSchema), ...problems },
});
const decide = createRoute({
  method: 'post',
  path,
  tags,
  security: bearer,
  summary: 'Finalise the unit (reason required when the distribution violates the bounds) or send results back for re-rating',
  request: { params: Params, ...jsonBody(Decision) },
  responses: { 200: ok(CalibrationResultSchema), ...problems },
});

type Waiting = { id: string; workflowId: string; phase: Phase; employee: { nip: string; name: string }; predikat: PredikatT | null };

export function calibrationRoutes(deps: ResolvedDeps) {
  const { prisma, temporal } = deps;

  async function load(regionId: string, cycleId: string, unitId: string) {
    const cycle = await prisma.cycle.findFirst({ where: { id: cycleId, regionId } });
    const unit = await prisma.unit.findFirst({ where: { id: unitId, regionId } });
    if (!cycle || !unit) throw new ProblemError('NOT_FOUND');
    const rows = await prisma.evaluation.findMany({
      where: { cycleId, unitId, phase: { not: 'CLOSED' } },
      select: {
        id: true,
        workflowId: true,
        phase: true,
        employee: { select: { nip: true, name: true } },
        scores: { select: { kind: true, predikat: true } },
      },
      orderBy: { employee: { nip: 'asc' } },
    });
    const evaluations: Waiting[] = rows.map((e) => {
      // not (re-)rated yet: a result sent back for re-rating keeps its old INITIAL score until the new one replaces it
      const unrated = e.phase === 'TARGET_SETTING' || e.phase === 'PERIODIC' || e.phase === 'ANNUAL_RATING';
      const score = unrated ? undefined : (e.scores.find((s) => s.kind === 'FINAL') ?? e.scores.find((s) => s.kind === 'INITIAL'));
      const parsed = score ? Predikat.safeParse(score.predikat) : null;
      return { id: e.id, workflowId: e.workflowId, phase: e.phase, employee: e.employee, predikat: parsed?.success ? parsed.data : null };
    });
    const unitResult = await prisma.unitResult.findUnique({ where: { cycleId_unitId: { cycleId, unitId } } });
    return { cycle, unit, evaluations, unitResult };
  }

  function summarise(evaluations: Waiting[], unitPredikat: UnitPredikat | undefined) {
    const predikats = evaluations.flatMap((e) => (e.predikat ? [e.predikat] : []));
    const counts = Object.fromEntries(Predikat.options.map((p) => [p, predikats.filter((x) => x === p).length])) as Record<PredikatT, number>;
    return {
      staff: evaluations.length,
      scored: predikats.length,
      waiting: evaluations.filter((e) => e.phase === 'CALIBRATION').length,
      pending: evaluations.filter((e) => !e.predikat).length,
      distribution: counts,
      shares: predikatShares(predikats),
      violations: unitPredikat ? checkDistribution(unitPredikat, predikats) : [],
    };
  }

  return newRouter()
    .openapi(preview, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const { cycleId, unitId } = c.req.valid('param');
      const { cycle, unit, evaluations, unitResult } = await load(region.id, cycleId, unitId);
      const stored = unitResult ? UnitPredikat.safeParse(unitResult.unitPredikat) : null;
      const unitPredikat = c.req.valid('query').unitPredikat ?? (stored?.success ? stored.data : undefined);
      return c.json(
        {
          cycle: { id: cycle.id, year: cycle.year, unitCalibration: cycle.unitCalibration },
          unit: { id: unit.id, code: unit.code, name: unit.name },
          unitPredikat: unitPredikat ?? null,
          unitResult: unitResult && unitResultBody(unitResult),
          ...summarise(evaluations, unitPredikat),
          evaluations: evaluations.map(({ workflowId: _w, ...e }) => e),
        },
        200,
      );
    })
    .openapi(decide, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const { cycleId, unitId } = c.req.valid('param');
      const input = c.req.valid('json');
      const { cycle, evaluations, unitResult } = await load(region.id, cycleId, unitId);
      if (!cycle.unitCalibration) {
        throw new ProblemError('CONFLICT', {
          detail: { id: 'Siklus ini dibuka tanpa tahap kalibrasi unit.', en: 'This cycle was opened without unit calibration.' },
        });
      }
      if (unitResult?.status === 'FINALISED')
        throw new ProblemError('CONFLICT', { detail: { id: 'Hasil unit ini sudah difinalisasi.', en: "This unit's results are already finalised." } });
      const summary = summarise(evaluations, input.unitPredikat);
      const waiting = evaluations.filter((e) => e.phase === 'CALIBRATION');

      let targets: Waiting[];
      if (input.decision === 'FINALISE') {
        const notReady = evaluations.filter((e) => e.phase !== 'CALIBRATION' && e.phase !== 'APPEAL_WINDOW' && e.phase !== 'APPEAL' && e.phase !== 'FINAL');
        if (notReady.length > 0) {
          throw new ProblemError('CONFLICT', {
            detail: {
              id: `${notReady.length} penilaian di unit ini belum sampai tahap kalibrasi; finalisasi menunggu semua penilaian tahunan.`,
              en: `${notReady.length} evaluations in this unit have not reached calibration; finalising waits for every annual rating.`,
            },
          });
        }
        if (summary.violations.length > 0 && !input.reason) {
          throw new ProblemError('VALIDATION_FAILED', {
            errors: [
              {
                pointer: '/reason',
                field: 'reason',
                code: 'reason_required',
                message: 'Distribusi predikat melanggar batas SE MenPANRB 03/2023: alasan finalisasi wajib diisi.',
              },
            ],
          });
        }
        targets = waiting;
      } else {
        if (!input.reason) {
          throw new ProblemError('VALIDATION_FAILED', {
            errors: [{ pointer: '/reason', field: 'reason', code: 'reason_required', message: 'Alasan pengembalian wajib diisi.' }],
          });
        }
        const wanted = new Set(input.evaluationIds ?? waiting.map((e) => e.id));
        targets = waiting.filter((e) => wanted.has(e.id));
        const unknown = [...wanted].filter((id) => !targets.some((t) => t.id === id));
        if (unknown.length > 0) {
          throw new ProblemError('VALIDATION_FAILED', {
            errors: unknown.map((id) => ({
              pointer: `/evaluationIds/${(input.evaluationIds ?? []).indexOf(id)}`,
              field: 'evaluationIds',
              code: 'not_waiting',
              message: 'Penilaian ini tidak sedang menunggu kalibrasi di unit ini.',
            })),
          });
        }
        if (targets.length === 0)
          throw new ProblemError('CONFLICT', {
            detail: { id: 'Tidak ada penilaian yang menunggu kalibrasi di unit ini.', en: 'No evaluation in this unit is waiting for calibration.' },
          });
      }

      const status = input.decision === 'FINALISE' ? 'FINALISED' : 'SENT_BACK';
      const user = c.get('user');
      const saved = await prisma.$transaction(async (tx) => {
        const data = {
          unitPredikat: input.unitPredikat,
          status,
          violations: summary.violations as unknown as object,
          reason: input.reason ?? null,
          decidedBy: user.userId,
          decidedAt: new Date(),
        };
        const row = await tx.unitResult.upsert({
          where: { cycleId_unitId: { cycleId, unitId } },
          create: { cycleId, unitId, ...data },
          update: data,
        });
        await audit(tx, c, region.id, `calibration.${status.toLowerCase()}`, 'UnitResult', row.id, unitResult, {
          ...row,
          distribution: summary.distribution,
          evaluationIds: targets.map((t) => t.id),
        });
        return row;
      });

      // after the commit: tell each waiting workflow (signals are idempotent in the workflow: only CALIBRATION reacts)
      const by = user.userId;
      const signal = { decision: status, reason: input.reason ?? 'Distribusi predikat sesuai ketentuan', by } as const;
      const results = await Promise.allSettled(targets.map((t) => temporal.workflow.getHandle(t.workflowId).signal(unitCalibrated, signal)));
      const failed = targets.filter((_, i) => results[i]!.status === 'rejected').map((t) => t.id);
      return c.json(
        {
          unitResult: unitResultBody(saved),
          violations: summary.violations,
          distribution: summary.distribution,
          signalled: targets.length - failed.length,
          failed,
        },
        200,
      );
    });
}
