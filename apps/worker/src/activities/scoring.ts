/**
 * Scoring: the year's facts (indicators, reports, reviews, attendance, surveys) evaluated with the evaluation's
 * pinned rule-set version; one Score row per kind (INITIAL, FINAL) and calibration round, audited.
 */
import { appendAudit, loadYearSnapshot } from '@kinerja/db';
import { evaluate, recordedOutcome, yearFacts, type Facts, type RuleSetDocument } from '@kinerja/rules';
import type { Activities, ComputeScoreInput, ResultView } from '@kinerja/workflows';
import { json, logged, type JobDeps } from './shared.js';

type ScoringActivities = Pick<Activities, 'computeScore'>;

export function scoringActivities(deps: JobDeps): ScoringActivities {
  const { prisma, log } = deps;

  /** The year's facts: the snapshot the API's preview reads as well, with the supervisor's rating when given. */
  async function gatherFacts(evaluationId: string, rating: ComputeScoreInput['rating']): Promise<Facts> {
    return yearFacts(await loadYearSnapshot(prisma, evaluationId), rating);
  }

  const toView = (row: {
    hasilKerja: string;
    perilaku: string;
    predikat: string;
    numericScore: number;
    flags: string[];
    trace: unknown;
    kind: string;
  }): ResultView => {
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
    const { reasons, ...result } = recordedOutcome(out);
    const fields = {
      ...result,
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
