import { describe, expect, it } from 'vitest';
import { dictionaries } from '../src/i18n';
import { countdown, daysLeft, formatSpan } from '../src/lib/time';

const id = dictionaries.id.time;
const en = dictionaries.en.time;
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const now = Date.parse('2027-03-10T08:00:00.000Z');
const at = (ms: number) => new Date(now + ms).toISOString();

describe('formatSpan', () => {
  it('shows the two largest units', () => {
    expect(formatSpan(2 * D + 3 * H + 5 * M, id)).toBe('2 hari 3 jam');
    expect(formatSpan(3 * H + 5 * M + 9 * S, en)).toBe('3 hours 5 minutes');
    expect(formatSpan(5 * M + 1 * S, en)).toBe('5 minutes 1 second');
    expect(formatSpan(42 * S, id)).toBe('42 detik');
  });
  it('drops a zero second unit', () => {
    expect(formatSpan(2 * D, en)).toBe('2 days');
    expect(formatSpan(1 * H, id)).toBe('1 jam');
  });
  it('calls less than a second "now"', () => {
    expect(formatSpan(400, en)).toBe('now');
  });
});

describe('countdown', () => {
  it('counts down to a future deadline', () => {
    const c = countdown(at(3 * D + 2 * H), now, en);
    expect(c).toEqual({ text: '3 days 2 hours left', urgency: 'later', tickMs: M });
  });
  it('is "soon" within a day, ticking every second in the last hour', () => {
    expect(countdown(at(5 * H), now, id)).toMatchObject({ text: '5 jam lagi', urgency: 'soon', tickMs: M });
    expect(countdown(at(10 * M + 5 * S), now, id)).toMatchObject({ text: '10 menit 5 detik lagi', urgency: 'soon', tickMs: S });
  });
  it('says how long ago a passed deadline was', () => {
    expect(countdown(at(-(2 * H + 30 * M)), now, id)).toEqual({ text: 'terlambat 2 jam 30 menit', urgency: 'overdue', tickMs: M });
    expect(countdown(at(-D), now, en).text).toBe('1 day overdue');
  });
});

describe('daysLeft', () => {
  it('rounds up and never goes below zero', () => {
    expect(daysLeft(at(13 * D + H), now)).toBe(14);
    expect(daysLeft(at(H), now)).toBe(1);
    expect(daysLeft(at(-H), now)).toBe(0);
  });
});
