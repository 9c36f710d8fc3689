/**
 * The subjects of a rule-set dry run, read once for the API's inline run and the worker's background run, so that
 * both simulate exactly the same people with exactly the same facts.
 */
import type { PrismaClient } from './generated/prisma/client.js';

/** Facts in the shape the rules engine reads (`Facts` of @kinerja/rules): recorded in a Score, or known today. */
export type SubjectFacts = Record<string, unknown>;

export interface EmployeeSubject {
  /** the employee id */
  id: string;
  nip: string;
  name: string;
  facts: SubjectFacts;
  /** `score`: the facts of the latest score; `current`: what is known today (no score yet) */
  from: 'score' | 'current';
}

const recordedFacts = (scores: readonly { kind: string; facts: unknown }[]): SubjectFacts | undefined => {
  const s = scores.find((x) => x.kind === 'FINAL') ?? scores.find((x) => x.kind === 'INITIAL');
  return s?.facts && typeof s.facts === 'object' && !Array.isArray(s.facts) ? (s.facts as SubjectFacts) : undefined;
};

/**
 * The region's active employees with the facts of their latest score (FINAL over INITIAL, latest cycle first), else
 * the facts known today: unit and position kind, attendance rate, and the citizens' survey mean mapped from 1–5 to
 * the SKM scale 1–4.
 */
export async function employeeSubjects(prisma: PrismaClient, regionId: string): Promise<EmployeeSubject[]> {
  const employees = await prisma.employee.findMany({
    where: { regionId, status: 'ACTIVE' },
    orderBy: { nip: 'asc' },
    select: {
      id: true,
      nip: true,
      name: true,
      positionKind: true,
      unit: { select: { kind: true } },
      evaluations: { orderBy: { cycle: { year: 'desc' } }, select: { scores: { select: { kind: true, facts: true } } } },
    },
  });
  const ids = employees.map((e) => e.id);
  const [attendance, surveys] = await Promise.all([
    prisma.attendanceRecord.groupBy({ by: ['employeeId', 'present'], where: { employeeId: { in: ids } }, _count: { _all: true } }),
    prisma.surveyResponse.groupBy({ by: ['employeeId'], where: { regionId, employeeId: { in: ids } }, _avg: { score: true }, _count: { _all: true } }),
  ]);
  const days = new Map<string, { all: number; present: number }>();
  for (const g of attendance) {
    const a = days.get(g.employeeId) ?? { all: 0, present: 0 };
    a.all += g._count._all;
    if (g.present) a.present += g._count._all;
    days.set(g.employeeId, a);
  }
  const surveyOf = new Map(surveys.map((g) => [g.employeeId, g]));
  return employees.map((e) => {
    const scored = e.evaluations.map((ev) => recordedFacts(ev.scores)).find((f) => f !== undefined);
    if (scored) return { id: e.id, nip: e.nip, name: e.name, facts: scored, from: 'score' as const };
    const facts: SubjectFacts = { unitKind: e.unit.kind, positionKind: e.positionKind };
    const att = days.get(e.id);
    if (att && att.all > 0) facts.attendanceRate = (att.present / att.all) * 100;
    const survey = surveyOf.get(e.id);
    if (survey && survey._count._all > 0 && survey._avg.score !== null) {
      facts.satisfactionMean = Math.min(4, Math.max(1, 1 + ((survey._avg.score - 1) * 3) / 4));
      facts.satisfactionResponses = survey._count._all;
    }
    return { id: e.id, nip: e.nip, name: e.name, facts, from: 'current' as const };
  });
}

/** The facts recorded in a cycle's scores (FINAL over INITIAL): one subject (by employee id) per evaluation that has them. */
export async function cycleSubjects(prisma: PrismaClient, cycleId: string): Promise<{ subjects: { id: string; facts: SubjectFacts }[]; evaluations: number }> {
  const evaluations = await prisma.evaluation.findMany({
    where: { cycleId },
    orderBy: { id: 'asc' },
    select: { employeeId: true, scores: { select: { kind: true, facts: true } } },
  });
  const subjects: { id: string; facts: SubjectFacts }[] = [];
  for (const e of evaluations) {
    const facts = recordedFacts(e.scores);
    if (facts) subjects.push({ id: e.employeeId, facts });
  }
  return { subjects, evaluations: evaluations.length };
}
