import { describe, expect, it } from 'vitest';
import {
  decide,
  delegatorsOf,
  isActiveDelegation,
  relationTo,
  rolesOf,
  type DelegationFacts,
  type EvaluationAction,
  type EvaluationFacts,
  type Principal,
  type TaskFacts,
} from '../src/policy.js';

const now = new Date('2025-06-01T00:00:00Z');
const ev: EvaluationFacts = { id: 'e1', regionId: 'r1', employeeId: 'asn', supervisorId: 'sup', reviewerId: 'rev', annualRaterIds: ['sup'] };
const P = (employeeId: string | null, adminRegionIds: string[] = []): Principal => ({ userId: `u-${employeeId}`, employeeId, adminRegionIds });
const deleg = (from: string, to: string, opts: Partial<DelegationFacts> = {}): DelegationFacts => ({
  fromEmployeeId: from,
  toEmployeeId: to,
  startsAt: new Date('2025-05-01T00:00:00Z'),
  endsAt: new Date('2025-07-01T00:00:00Z'),
  revokedAt: null,
  ...opts,
});
const check = (p: Principal, action: EvaluationAction, delegations: DelegationFacts[] = [], tasks: TaskFacts[] = [], facts = ev) =>
  decide(action, p, facts, relationTo(p, facts, delegations, tasks, now));

describe('policy: authorisation derived from data', () => {
  it('the owner submits, views and appeals, but never approves or rates', () => {
    for (const a of ['view', 'submitTargets', 'submitReport', 'fileAppeal'] as const) expect(check(P('asn'), a).allow).toBe(true);
    for (const a of ['decideTargets', 'reviewReport', 'rateAnnual', 'decideAppeal', 'requestAppealResponse'] as const)
      expect(check(P('asn'), a)).toMatchObject({ allow: false, status: 403 });
  });

  it('the supervisor acts on supervisor steps only', () => {
    for (const a of ['decideTargets', 'reviewReport', 'rateAnnual', 'respondAppeal', 'view'] as const)
      expect(check(P('sup'), a)).toMatchObject({ allow: true, actingForId: undefined });
    for (const a of ['submitTargets', 'fileAppeal', 'requestAppealResponse', 'decideAppeal'] as const)
      expect(check(P('sup'), a)).toMatchObject({ allow: false, status: 403 });
  });

  it('the appeal reviewer decides appeals; the rater never decides even as reviewer', () => {
    expect(check(P('rev'), 'decideAppeal')).toMatchObject({ allow: true });
    expect(check(P('rev'), 'requestAppealResponse')).toMatchObject({ allow: true });
    expect(check(P('rev'), 'rateAnnual')).toMatchObject({ allow: false, status: 403 });
    // the reviewer rated (escalation), so they may not decide the appeal
    expect(check(P('rev'), 'decideAppeal', [], [], { ...ev, annualRaterIds: ['rev'] })).toMatchObject({ allow: false, status: 403 });
  });

  it('a Plt/Plh acts for the absent supervisor while the delegation is active', () => {
    const d = [deleg('sup', 'plt')];
    expect(check(P('plt'), 'decideTargets', d)).toEqual({ allow: true, actingForId: 'sup' });
    expect(check(P('plt'), 'decideTargets', [deleg('sup', 'plt', { revokedAt: new Date('2025-05-15T00:00:00Z') })])).toMatchObject({
      allow: false,
      status: 404,
    });
    expect(check(P('plt'), 'decideTargets', [deleg('sup', 'plt', { endsAt: new Date('2025-05-31T00:00:00Z') })])).toMatchObject({ allow: false, status: 404 });
    expect(check(P('plt'), 'decideAppeal', [deleg('rev', 'plt')])).toEqual({ allow: true, actingForId: 'rev' });
  });

  it('nobody acts on their own evaluation, not even through a delegation', () => {
    expect(check(P('asn'), 'decideTargets', [deleg('sup', 'asn')])).toMatchObject({ allow: false, status: 403 });
  });

  it('the supervisor as Plt of the reviewer still never decides the appeal on their own rating', () => {
    expect(check(P('sup'), 'decideAppeal', [deleg('rev', 'sup')])).toMatchObject({ allow: false, status: 403 });
  });

  it('an escalated supervisor task lets its assignee act for the supervisor', () => {
    const tasks: TaskFacts[] = [{ kind: 'APPROVE_TARGETS', assigneeId: 'rev', actingForId: 'sup', escalated: true, status: 'OPEN' }];
    expect(check(P('rev'), 'decideTargets', [], tasks)).toEqual({ allow: true, actingForId: 'sup' });
    expect(check(P('rev'), 'reviewReport', [], tasks)).toMatchObject({ allow: false, status: 403 });
    const done: TaskFacts[] = [{ ...tasks[0]!, status: 'DONE' }];
    expect(check(P('rev'), 'decideTargets', [], done, { ...ev, reviewerId: null })).toMatchObject({ allow: false, status: 404 });
  });

  it('admins of the region see but do not act; everyone else gets 404', () => {
    expect(check(P(null, ['r1']), 'view')).toEqual({ allow: true, actingForId: undefined });
    expect(check(P(null, ['r1']), 'decideTargets')).toMatchObject({ allow: false, status: 403 });
    expect(check(P(null, ['r2']), 'view')).toMatchObject({ allow: false, status: 404 });
    expect(check(P('stranger'), 'view')).toMatchObject({ allow: false, status: 404 });
  });

  it('delegation helpers and roles', () => {
    expect(isActiveDelegation(deleg('a', 'b'), now)).toBe(true);
    expect(isActiveDelegation(deleg('a', 'b', { startsAt: new Date('2025-06-02T00:00:00Z') }), now)).toBe(false);
    expect(delegatorsOf('b', [deleg('a', 'b'), deleg('c', 'b'), deleg('a', 'x')], now).sort()).toEqual(['a', 'c']);
    expect(rolesOf({ adminRegionIds: ['r1'], employeeId: 'e', hasSubordinates: true, actsForSomeone: false, isReviewer: true })).toEqual([
      'ASN',
      'SUPERVISOR',
      'REVIEWER',
      'ADMIN',
    ]);
    expect(rolesOf({ adminRegionIds: [], employeeId: null, hasSubordinates: false, actsForSomeone: false, isReviewer: false })).toEqual([]);
  });
});
