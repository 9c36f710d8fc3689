/**
 * Scoring: the year's facts (indicators, reports, reviews, attendance, surveys) evaluated with the evaluation's
 * pinned rule-set version; one Score row per kind (INITIAL, FINAL) and calibration round, audited.
 */
import { appendAudit } from '@kinerja/db';
import { BERAKHLAK_ASPECTS, capaian, predikatFor, type Rating } from '@kinerja/domain';
import { evaluate, type Facts, type RuleSetDocument } from '@kinerja/rules';
import type { Activities, ComputeScoreInput, ResultView } from '@kinerja/workflows';
import { json, logged, type JobDeps } from './shared.js';

type ScoringActivities = Pick<Activities, 'computeScore'>;

/** Mean of numbers, null when empty. */
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function scoringActivities(deps: JobDeps): ScoringActivities {
  const { prisma, log } = deps;

  async function gatherFacts(evaluationId: string, rating: ComputeScoreInput['rating']): Promise<Facts> {
    const ev = await prisma.evaluation.findUniqueOrThrow({
      where: { id: evaluationId },
      include: {
        employee: { include: { unit: { select: { kind: true } } } },
        skp: { include: { rhk: { include: { indicators: true } } } },
        reports: true,
        reviews: { where: { kind: 'PERIOD' }, select: { id: true } },
      },
    });
    // a period that ended before the SKP was approved, and that the rule set asks no report for, is not part of the year
    const reports = ev.reports.filter((r) => r.status !== 'NOT_APPLICABLE');
    // realisation per indicator: QUANTITY sums over periods (annual target), the other kinds average
    const values = new Map<string, number[]>();
    for (const r of reports) {
      if (r.status === 'MISSING' || !Array.isArray(r.realisations)) continue;
      for (const item of r.realisations as { indicatorId?: unknown; value?: unknown }[]) {
        if (typeof item.indicatorId !== 'string' || typeof item.value !== 'number') continue;
        const list = values.get(item.indicatorId) ?? [];
        list.push(item.value);
        values.set(item.indicatorId, list);
      }
    }
    const capaianIndicators: number[] = [];
    const timeCapaian: number[] = [];
    for (const rhk of ev.skp?.rhk ?? []) {
      for (const ind of rhk.indicators) {
        const vs = values.get(ind.id) ?? [];
        const kind = ind.kind;
        const real = kind === 'QUANTITY' ? vs.reduce((a, b) => a + b, 0) : (mean(vs) ?? 0);
        const pct = vs.length === 0 && kind !== 'QUANTITY' ? 0 : capaian(kind, ind.target, real);
        const bounded = Math.max(0, Math.round(pct * 100) / 100);
        capaianIndicators.push(bounded);
        if (kind === 'TIME') timeCapaian.push(bounded);
      }
    }
    const count = (pred: (r: (typeof reports)[number]) => boolean) => reports.filter(pred).length;
    const facts: Facts = {
      capaianIndicators: capaianIndicators.length ? capaianIndicators : null,
      capaianTimeAvg: mean(timeCapaian),
      periods: reports.length,
      reportsOnTime: count((r) => r.status !== 'MISSING' && r.status !== 'OPEN' && !r.late),
      reportsLate: count((r) => r.status !== 'MISSING' && r.status !== 'OPEN' && r.late),
      reportsMissing: count((r) => r.status === 'MISSING'),
      periodRatingsAbove: count((r) => r.rating === 'DI_ATAS'),
      periodRatingsMeets: count((r) => r.rating === 'SESUAI'),
      periodRatingsBelow: count((r) => r.rating === 'DI_BAWAH'),
      feedbackSessions: ev.reviews.length,
      unitKind: ev.employee.unit.kind,
      positionKind: ev.employee.positionKind,
    };
    if (rating) {
      facts.hasilKerjaRating = rating.hasilKerja;
      for (const a of BERAKHLAK_ASPECTS) (facts as Record<string, Rating>)[`perilaku.${a}`] = rating.perilaku[a];
    }
    const attendance = await prisma.attendanceRecord.groupBy({
      by: ['present'],
      where: { employeeId: ev.employeeId },
      _count: { _all: true },
    });
    const att = attendance.reduce((n, g) => n + g._count._all, 0);
    if (att > 0) facts.attendanceRate = ((attendance.find((g) => g.present)?._count._all ?? 0) / att) * 100;
    const survey = await prisma.surveyResponse.aggregate({
      where: { regionId: ev.regionId, employeeId: ev.employeeId },
      _avg: { score: true },
      _count: { _all: true },
    });
    if (survey._count._all > 0 && survey._avg.score !== null) {
      // responses are on a 1–5 scale; the SKM fact is 1–4: map linearly
      facts.satisfactionMean = Math.min(4, Math.max(1, 1 + ((survey._avg.score - 1) * 3) / 4));
      facts.satisfactionResponses = survey._count._all;
    }
    return facts;
  }

  const toView = (row: { hasilKerja: string; perilaku: string; predikat: string; numericScore: number; flags: string[]; trace: unknown; kind: string }): ResultView => {
    const reasons = (row.trace as { reasons?: unknown } | null)?.reasons;
    return {
      hasilKerja: row.hasilKerja as ResultView['hasilKerja'],
      perilaku: row.perilaku as ResultView['perilaku'],
      predikat: row.predikat as ResultView['predikat'],
      numericScore: row.numericScore,
      flags: row.flags as ResultView['flags'],
      reasons: Array.isArray(reasons) ? reasons.map(String) : [],
      final: row.kind === 'FINAL',
    };
  };

  async function computeScore(input: ComputeScoreInput): Promise<ResultView> {
    const { evaluationId, kind } = input;
    const round = input.round ?? 0;
    const existing = await prisma.score.findUnique({ where: { evaluationId_kind: { evaluationId, kind } } });
    // a retry: the score is written once per round (a higher calibration round replaces the INITIAL score)
    if (existing && existing.round >= round) return toView(existing);
    const version = await prisma.ruleSetVersion.findUniqueOrThrow({ where: { id: input.ruleSetVersionId } });
    const facts = await gatherFacts(evaluationId, input.rating);
    const out = await evaluate(version.document as unknown as RuleSetDocument, facts);
    // the rule set may leave a rating open (nobody rated and no rule suggested one): record the fallback, never guess silently
    const reasons = [...out.reasons];
    const hasilKerja: Rating = out.hasilKerja ?? 'DI_BAWAH';
    const perilaku: Rating = out.perilaku ?? 'SESUAI';
    if (!out.hasilKerja) reasons.push('Hasil kerja tidak dinilai dan tidak dapat diturunkan: ditetapkan DI_BAWAH ekspektasi.');
    if (!out.perilaku) reasons.push('Perilaku kerja tidak dinilai: ditetapkan SESUAI ekspektasi.');
    const predikat = out.predikat ?? predikatFor(hasilKerja, perilaku);
    const fields = {
        hasilKerja,
        perilaku,
        predikat,
        numericScore: out.numericScore ?? 0,
        flags: [...new Set(out.flags.map((f) => f.flag))],
        facts: json(facts),
        trace: json({ reasons, flags: out.flags, scoreComponents: out.scoreComponents, ruleSet: out.ruleSet, trace: out.trace }),
        ruleSetVersionId: version.id,
        round,
        createdAt: new Date(input.at),
    };
    const row = await prisma.score.upsert({
      where: { evaluationId_kind: { evaluationId, kind } },
      create: { evaluationId, kind, ...fields },
      update: fields,
    });
    const region = (await prisma.evaluation.findUniqueOrThrow({ where: { id: evaluationId }, select: { regionId: true } })).regionId;
    await appendAudit(prisma, {
      regionId: region,
      action: kind === 'INITIAL' ? 'score.initial' : 'score.final',
      entityType: 'Score',
      entityId: row.id,
      before: existing ? { predikat: existing.predikat, numericScore: existing.numericScore, round: existing.round } : null,
      after: { predikat: row.predikat, numericScore: row.numericScore, flags: row.flags, ruleSetVersionId: version.id, round },
      at: new Date(input.at),
    });
    return toView(row);
  }

  return { computeScore: logged(log, 'computeScore', computeScore) };
}
