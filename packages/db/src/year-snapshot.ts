/**
 * What the database holds about one evaluation's year, as the rule set's facts are derived from it (@kinerja/rules
 * yearFacts): the SKP's indicators, the period reports, the feedback sessions, the employee's unit and position kind,
 * attendance and survey responses. The worker's scoring and the API's preview both read it here.
 */
import type { IndicatorKind, PositionKind, PrismaClient, UnitKind } from './generated/prisma/client.js';

export interface YearSnapshotRow {
  indicators: { id: string; kind: IndicatorKind; target: number }[];
  reports: { status: string; late: boolean; rating: string | null; realisations: unknown }[];
  periodReviews: number;
  unitKind: UnitKind;
  positionKind: PositionKind;
  attendance: { present: number; total: number };
  survey: { mean: number | null; responses: number };
}

/** The year's snapshot; throws (Prisma P2025) when the evaluation does not exist. */
export async function loadYearSnapshot(prisma: PrismaClient, evaluationId: string): Promise<YearSnapshotRow> {
  const ev = await prisma.evaluation.findUniqueOrThrow({
    where: { id: evaluationId },
    include: {
      employee: { include: { unit: { select: { kind: true } } } },
      skp: { include: { rhk: { include: { indicators: true } } } },
      reports: true,
      reviews: { where: { kind: 'PERIOD' }, select: { id: true } },
    },
  });
  const attendance = await prisma.attendanceRecord.groupBy({
    by: ['present'],
    where: { employeeId: ev.employeeId },
    _count: { _all: true },
  });
  const survey = await prisma.surveyResponse.aggregate({
    where: { regionId: ev.regionId, employeeId: ev.employeeId },
    _avg: { score: true },
    _count: { _all: true },
  });
  return {
    indicators: (ev.skp?.rhk ?? []).flatMap((rhk) => rhk.indicators.map((i) => ({ id: i.id, kind: i.kind, target: i.target }))),
    reports: ev.reports.map((r) => ({ status: r.status, late: r.late, rating: r.rating, realisations: r.realisations })),
    periodReviews: ev.reviews.length,
    unitKind: ev.employee.unit.kind,
    positionKind: ev.employee.positionKind,
    attendance: {
      present: attendance.find((g) => g.present)?._count._all ?? 0,
      total: attendance.reduce((n, g) => n + g._count._all, 0),
    },
    survey: { mean: survey._avg.score, responses: survey._count._all },
  };
}
