/**
 * Authorisation derived from data (no role table): who may do what follows from AdminGrant, Evaluation.supervisorId
 * and reviewerId, active Delegations (Plt/Plh) and escalated Tasks. Pure functions, unit-tested in test/policy.test.ts.
 *
 * Rules:
 * - admin of a region = holds an AdminGrant for it; admins manage organisation data, rule sets and cycles and may
 *   read evaluations of their region, but do not act in an employee's evaluation;
 * - the ASN (owner) submits targets and reports and files the appeal, and sees only their own evaluations;
 * - the supervisor (pejabat penilai) = Evaluation.supervisorId, or whoever holds an active delegation from them,
 *   or the assignee of an escalated supervisor task (the atasan pejabat penilai);
 * - the appeal reviewer (atasan pejabat penilai) = Evaluation.reviewerId or their delegate;
 * - nobody acts on their own evaluation; an appeal is never decided by the person who gave the rating;
 * - anything the caller may not see answers 404 (existence is never leaked); visible but not allowed answers 403.
 */
import { COMMAND_NAMES, EVALUATION_COMMANDS, type CommandName, type CommandSpec } from '@kinerja/workflows';

export interface Principal {
  userId: string;
  employeeId: string | null;
  adminRegionIds: readonly string[];
}

export interface EvaluationFacts {
  id: string;
  regionId: string;
  employeeId: string;
  supervisorId: string | null;
  reviewerId: string | null;
  /** employees who recorded the annual rating (Review kind ANNUAL), whoever they acted for */
  annualRaterIds?: readonly string[];
}

export interface DelegationFacts {
  fromEmployeeId: string;
  toEmployeeId: string;
  startsAt: Date;
  endsAt: Date;
  revokedAt: Date | null;
}

export interface TaskFacts {
  kind: string;
  assigneeId: string;
  actingForId: string | null;
  escalated: boolean;
  status: string;
}

/** `view`, or one of the evaluation's commands: who may send each is its row's role (@kinerja/workflows commands). */
export type EvaluationAction = 'view' | CommandName;

/** Task kinds a supervisor does; an escalated one of these lets its assignee act in the supervisor's place. */
const SUPERVISOR_TASKS = new Set<string>(
  COMMAND_NAMES.flatMap((n) => {
    const t = (EVALUATION_COMMANDS[n] as CommandSpec).escalatedTask;
    return t ? [t] : [];
  }),
);

/** How the caller stands in a role: directly (`actingForId` undefined) or for someone else. */
export interface ActAs {
  actingForId?: string;
}

export interface Relation {
  admin: boolean;
  owner: boolean;
  supervisor: ActAs | null;
  reviewer: ActAs | null;
  /** escalated supervisor tasks the caller holds, by task kind */
  escalated: Map<string, ActAs>;
}

export type Decision = { allow: true; actingForId?: string | undefined } | { allow: false; status: 403 | 404; reason: string };

export function isActiveDelegation(d: DelegationFacts, now: Date): boolean {
  return d.revokedAt === null && d.startsAt.getTime() <= now.getTime() && now.getTime() < d.endsAt.getTime();
}

/** The employees the caller currently acts for through active delegations (Plt/Plh). */
export function delegatorsOf(employeeId: string | null, delegations: readonly DelegationFacts[], now: Date): string[] {
  if (!employeeId) return [];
  return [...new Set(delegations.filter((d) => d.toEmployeeId === employeeId && isActiveDelegation(d, now)).map((d) => d.fromEmployeeId))];
}

/** Whether the caller is `target` or acts for them now. */
export function actsFor(employeeId: string | null, target: string | null, delegations: readonly DelegationFacts[], now: Date): ActAs | null {
  if (!employeeId || !target) return null;
  if (employeeId === target) return {};
  return delegatorsOf(employeeId, delegations, now).includes(target) ? { actingForId: target } : null;
}

export const isRegionAdmin = (p: Principal, regionId: string) => p.adminRegionIds.includes(regionId);

export function relationTo(p: Principal, ev: EvaluationFacts, delegations: readonly DelegationFacts[], tasks: readonly TaskFacts[], now: Date): Relation {
  const me = p.employeeId;
  const escalated = new Map<string, ActAs>();
  if (me) {
    const forWhom = new Set([me, ...delegatorsOf(me, delegations, now)]);
    for (const t of tasks) {
      if (t.status !== 'OPEN' || !t.escalated || !SUPERVISOR_TASKS.has(t.kind) || !forWhom.has(t.assigneeId)) continue;
      const actingForId = t.actingForId ?? ev.supervisorId ?? (t.assigneeId !== me ? t.assigneeId : undefined);
      escalated.set(t.kind, actingForId ? { actingForId } : {});
    }
  }
  return {
    admin: isRegionAdmin(p, ev.regionId),
    owner: me !== null && me === ev.employeeId,
    supervisor: actsFor(me, ev.supervisorId, delegations, now),
    reviewer: actsFor(me, ev.reviewerId, delegations, now),
    escalated,
  };
}

export function canSee(rel: Relation): boolean {
  return rel.admin || rel.owner || rel.supervisor !== null || rel.reviewer !== null || rel.escalated.size > 0;
}

const allow = (as: ActAs | null | undefined): Decision => ({ allow: true, actingForId: as?.actingForId });
const forbid = (reason: string): Decision => ({ allow: false, status: 403, reason });

export function decide(action: EvaluationAction, p: Principal, ev: EvaluationFacts, rel: Relation): Decision {
  if (!canSee(rel)) return { allow: false, status: 404, reason: 'not visible' };
  if (action === 'view') return allow(null);
  const command: CommandSpec = EVALUATION_COMMANDS[action];
  if (command.role === 'owner') {
    return rel.owner ? allow(null) : forbid('only the employee acts here');
  }
  // nobody acts as supervisor or reviewer on their own evaluation
  if (rel.owner) return forbid('own evaluation');
  if (command.role === 'supervisor') {
    if (rel.supervisor) return allow(rel.supervisor);
    const esc = command.escalatedTask ? rel.escalated.get(command.escalatedTask) : undefined;
    if (esc) return allow(esc);
    return forbid('not the supervisor');
  }
  // reviewer commands
  if (!rel.reviewer) return forbid('not the appeal reviewer');
  if (command.notByRater) {
    const me = p.employeeId;
    const rated = me !== null && (me === ev.supervisorId || (ev.annualRaterIds ?? []).includes(me));
    if (rated) return forbid('the rater never decides the appeal');
  }
  return allow(rel.reviewer);
}

/** Roles shown by GET /me, derived from data. */
export const ROLES = ['ASN', 'SUPERVISOR', 'REVIEWER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export function rolesOf(input: {
  adminRegionIds: readonly string[];
  employeeId: string | null;
  hasSubordinates: boolean;
  actsForSomeone: boolean;
  isReviewer: boolean;
}): Role[] {
  const roles: Role[] = [];
  if (input.employeeId) roles.push('ASN');
  if (input.hasSubordinates || input.actsForSomeone) roles.push('SUPERVISOR');
  if (input.isReviewer) roles.push('REVIEWER');
  if (input.adminRegionIds.length > 0) roles.push('ADMIN');
  return roles;
}
