import type { PrismaClient } from '@kinerja/db';
import { delegationsOf } from './auth/middleware.js';
import type { AuthUser } from './env.js';
import { decide, delegatorsOf, relationTo, type EvaluationAction, type EvaluationFacts } from './policy.js';
import { ProblemError } from './problem.js';

export interface EvaluationAccess {
  evaluation: EvaluationFacts & { workflowId: string; cycleId: string; phase: string };
  actingForId: string | undefined;
}

/**
 * Loads the evaluation and the data the policy needs; throws 404/403 problems when the caller may not act. `user` is
 * the caller requireAuth signed in (c.var.user).
 */
export async function authorizeEvaluation(
  prisma: PrismaClient,
  user: AuthUser,
  evaluationId: string,
  action: EvaluationAction,
  now: Date,
): Promise<EvaluationAccess> {
  const ev = await prisma.evaluation.findUnique({
    where: { id: evaluationId },
    select: { id: true, regionId: true, employeeId: true, supervisorId: true, reviewerId: true, workflowId: true, cycleId: true, phase: true },
  });
  if (!ev) throw new ProblemError('NOT_FOUND');
  // the delegations requireAuth read with the caller; the policy decides at `now` which of them are active
  const delegations = delegationsOf(user);
  const assignees = user.employeeId ? [user.employeeId, ...delegatorsOf(user.employeeId, delegations, now)] : [];
  const tasks = assignees.length
    ? await prisma.task.findMany({
        where: { evaluationId, status: 'OPEN', assigneeId: { in: assignees } },
        select: { kind: true, assigneeId: true, actingForId: true, escalated: true, status: true },
      })
    : [];
  let annualRaterIds: string[] = [];
  if (action === 'decideAppeal') {
    const rows = await prisma.review.findMany({ where: { evaluationId, kind: 'ANNUAL' }, select: { reviewerId: true } });
    annualRaterIds = rows.map((r) => r.reviewerId);
  }
  const facts: EvaluationFacts = { ...ev, annualRaterIds };
  const principal = { userId: user.userId, employeeId: user.employeeId, adminRegionIds: user.adminRegionIds };
  const rel = relationTo(principal, facts, delegations, tasks, now);
  const d = decide(action, principal, facts, rel);
  if (!d.allow) throw new ProblemError(d.status === 404 ? 'NOT_FOUND' : 'FORBIDDEN');
  return { evaluation: { ...facts, workflowId: ev.workflowId, cycleId: ev.cycleId, phase: ev.phase }, actingForId: d.actingForId };
}

/** Admin routes: the region by code, only when the caller holds a grant for it (404 otherwise, never 403). */
export async function authorizeRegion(prisma: PrismaClient, user: AuthUser, regionCode: string) {
  const region = await prisma.region.findUnique({ where: { code: regionCode } });
  if (!region || !user.adminRegionIds.includes(region.id)) throw new ProblemError('NOT_FOUND');
  return region;
}
