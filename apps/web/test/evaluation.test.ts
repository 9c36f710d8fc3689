import { describe, expect, it } from 'vitest';
import { fileNameOf } from '../src/api/files';
import { canReport, nextPeriodDeadline, periodTone, supportedRhkTitle, type PeriodView } from '../src/lib/evaluation';
import { parseNumber } from '../src/lib/number';
import { formatRange } from '../src/lib/time';

const now = Date.parse('2027-03-10T08:00:00.000Z');
const H = 3600_000;
const iso = (ms: number) => new Date(now + ms).toISOString();
const period = (over: Partial<PeriodView> = {}): PeriodView => ({
  period: 2,
  label: 'Februari 2027',
  state: 'OPEN',
  late: false,
  opensAt: iso(-40 * 24 * H),
  endsAt: iso(-10 * 24 * H),
  dueAt: iso(2 * H),
  cutoffAt: iso(48 * H),
  ...over,
});

describe('reporting a period', () => {
  it('is open while the period has started, the SKP is approved and the hard stop is ahead', () => {
    expect(canReport(period(), true, now)).toBe(true);
    expect(canReport(period({ state: 'REVISION_REQUESTED' }), true, now)).toBe(true);
    expect(canReport(period({ state: 'SUBMITTED' }), true, now)).toBe(true);
  });
  it('is closed before approval, before the period opens, after the cutoff, once settled, reviewed or missing', () => {
    expect(canReport(period(), false, now)).toBe(false);
    expect(canReport(period({ opensAt: iso(H) }), true, now)).toBe(false);
    expect(canReport(period({ cutoffAt: iso(-H) }), true, now)).toBe(false);
    expect(canReport(period({ settled: true }), true, now)).toBe(false);
    expect(canReport(period({ state: 'REVIEWED' }), true, now)).toBe(false);
    expect(canReport(period({ state: 'MISSING' }), true, now)).toBe(false);
  });
  it('counts down to the on-time deadline, then to the cutoff as late', () => {
    expect(nextPeriodDeadline(period(), now)).toEqual({ at: iso(2 * H), late: false });
    expect(nextPeriodDeadline(period({ dueAt: iso(-H) }), now)).toEqual({ at: iso(48 * H), late: true });
    expect(nextPeriodDeadline(period({ dueAt: iso(-H), cutoffAt: iso(-1) }), now)).toBeNull();
  });
  it('stays open for a revision the workflow asks for after the cutoff, until the revision is due', () => {
    const sentBack = period({ state: 'REVISION_REQUESTED', dueAt: iso(-48 * H), cutoffAt: iso(-H) });
    const task = { kind: 'SUBMIT_REPORT' as const, period: 2, assigneeId: 'e-1', escalated: false, dueAt: iso(3 * H) };
    expect(canReport(sentBack, true, now)).toBe(false);
    expect(canReport(sentBack, true, now, task)).toBe(true);
    expect(nextPeriodDeadline(sentBack, now, task)).toEqual({ at: iso(3 * H), late: false });
  });
  it('marks missing reports bad, revisions as warnings, reviewed ones ok', () => {
    expect(periodTone(period({ state: 'MISSING' }), now)).toBe('bad');
    expect(periodTone(period({ state: 'REVISION_REQUESTED' }), now)).toBe('warn');
    expect(periodTone(period({ state: 'REVIEWED' }), now)).toBe('ok');
    expect(periodTone(period({ opensAt: iso(H) }), now)).toBe('neutral');
  });
});

describe('parseNumber', () => {
  it('reads points and Indonesian decimal commas', () => {
    expect(parseNumber('12')).toBe(12);
    expect(parseNumber(' 12,5 ')).toBe(12.5);
    expect(parseNumber('0.75')).toBe(0.75);
  });
  it('refuses what is not a number', () => {
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('12x')).toBeNull();
    expect(parseNumber('1.2.3')).toBeNull();
  });
});

describe('formatRange', () => {
  it('shows days for a month and times for a compressed period, ending just before endsAt', () => {
    expect(formatRange('2027-01-31T17:00:00.000Z', '2027-02-28T17:00:00.000Z', 'en-GB')).toEqual(['31 Jan 2027', '28 Feb 2027']);
    const [from, to] = formatRange('2027-01-01T00:00:00.000Z', '2027-01-01T00:00:10.000Z', 'en-GB');
    expect(from).toMatch(/1 Jan 2027/);
    expect(from).toMatch(/\d\d:\d\d/);
    expect(to).toMatch(/\d\d:\d\d/);
  });
});

describe('fileNameOf', () => {
  it('prefers the RFC 8187 name, else the plain one', () => {
    expect(fileNameOf(`attachment; filename="SKP_.pdf"; filename*=UTF-8''SKP-%C3%A9.pdf`)).toBe('SKP-é.pdf');
    expect(fileNameOf('attachment; filename="Evaluasi.pdf"')).toBe('Evaluasi.pdf');
    expect(fileNameOf(null)).toBeNull();
  });
});

describe('the cascade', () => {
  const superiorRhk = [
    { id: 'rhk-a', title: 'Meningkatnya kualitas pelayanan', indicators: [{ id: 'ind-a', name: 'Indeks kepuasan' }] },
    { id: 'rhk-b', title: 'Tertibnya arsip', indicators: [] },
  ];
  it("names the superior's RHK an RHK supports, none, or one the superior's SKP no longer has", () => {
    expect(supportedRhkTitle(superiorRhk, 'rhk-b')).toBe('Tertibnya arsip');
    expect(supportedRhkTitle(superiorRhk, null)).toBeNull();
    expect(supportedRhkTitle(superiorRhk, 'rhk-gone')).toBeUndefined();
    expect(supportedRhkTitle([], 'rhk-a')).toBeUndefined();
  });
});
