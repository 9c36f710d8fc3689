import { describe, expect, it } from 'vitest';
import {
  addSpan,
  addWorkingDays,
  cycleCalendar,
  cyclePeriods,
  isWorkingDay,
  localDate,
  localMidnight,
  parseSpan,
  periodLabel,
  REGION_TIME_ZONE_NAMES,
  REGION_TIME_ZONES,
  type WorkingCalendar,
} from '../src/calendar.js';
import { Calendar, DEMO_CALENDAR, NATIONAL_CALENDAR } from '../src/schemas.js';

const DAY = 86_400_000;

describe('region time zones', () => {
  it('the fixed offsets agree with the time-zone database on every day of 2000..2100', () => {
    for (const tz of REGION_TIME_ZONE_NAMES) {
      const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
      for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2101, 0, 1); t += 7 * DAY + 3_600_000) {
        const parts = Object.fromEntries(fmt.formatToParts(t).map((p) => [p.type, p.value]));
        const expected = `${parts.year}-${parts.month}-${parts.day}`;
        expect(localDate(t, tz), `${tz} at ${new Date(t).toISOString()}`).toBe(expected);
      }
      expect(REGION_TIME_ZONES[tz].offsetMinutes % 60).toBe(0);
    }
  });

  it('local midnight and local date are inverse', () => {
    expect(new Date(localMidnight('2027-01-01', 'Asia/Makassar')).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(new Date(localMidnight('2027-01-01', 'Asia/Jakarta')).toISOString()).toBe('2026-12-31T17:00:00.000Z');
    expect(new Date(localMidnight('2027-01-01', 'Asia/Jayapura')).toISOString()).toBe('2026-12-31T15:00:00.000Z');
    expect(localDate(localMidnight('2028-02-29', 'Asia/Makassar'), 'Asia/Makassar')).toBe('2028-02-29');
    expect(localDate(localMidnight('2028-02-29', 'Asia/Makassar') - 1, 'Asia/Makassar')).toBe('2028-02-28');
  });
});

describe('cycle periods', () => {
  it('2027 in WITA: Januari 2027 .. Desember 2027, contiguous, each from local midnight of the 1st', () => {
    const ps = cyclePeriods(2027, 'MONTHLY', 'Asia/Makassar');
    expect(ps.map((p) => p.label)).toEqual(
      ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'].map((m) => `${m} 2027`),
    );
    ps.forEach((p, i) => {
      expect(p.period).toBe(i + 1);
      expect(localDate(Date.parse(p.startsAt), 'Asia/Makassar')).toBe(`2027-${String(i + 1).padStart(2, '0')}-01`);
      expect(Date.parse(p.startsAt) % DAY).toBe(16 * 3_600_000); // 00:00 WITA = 16:00 UTC
      if (i > 0) expect(p.startsAt).toBe(ps[i - 1]!.endsAt);
    });
    expect(ps[11]!.endsAt).toBe('2027-12-31T16:00:00.000Z');
    // February of a leap year
    const leap = cyclePeriods(2028, 'MONTHLY', 'Asia/Makassar')[1]!;
    expect((Date.parse(leap.endsAt) - Date.parse(leap.startsAt)) / DAY).toBe(29);
  });

  it('quarters are Triwulan I..IV of three months', () => {
    const qs = cyclePeriods(2027, 'QUARTERLY', 'Asia/Jakarta');
    expect(qs.map((q) => q.label)).toEqual(['Triwulan I 2027', 'Triwulan II 2027', 'Triwulan III 2027', 'Triwulan IV 2027']);
    expect(qs.map((q) => localDate(Date.parse(q.startsAt), 'Asia/Jakarta'))).toEqual(['2027-01-01', '2027-04-01', '2027-07-01', '2027-10-01']);
    expect(periodLabel('QUARTERLY', 2, 2027, 'en')).toBe('Quarter II 2027');
    expect(periodLabel('MONTHLY', 3, undefined, 'en')).toBe('March');
  });

  it('a cycle calendar keeps the holidays of its year and the next, once and sorted; a compressed one has no periods', () => {
    const cc = cycleCalendar(2027, { periodKind: 'MONTHLY', compressed: false }, 'Asia/Makassar', [
      '2028-01-01',
      '2027-08-17',
      '2026-12-25',
      '2029-01-01',
      '2027-08-17',
    ]);
    expect(cc.holidays).toEqual(['2027-08-17', '2028-01-01']);
    expect(cc.periods).toHaveLength(12);
    expect(cycleCalendar(2027, { periodKind: 'MONTHLY', compressed: true }, 'Asia/Jakarta', []).periods).toEqual([]);
  });
});

describe('working days', () => {
  const wita: WorkingCalendar = { timeZone: 'Asia/Makassar', holidays: ['2027-08-17'] };
  const at = (local: string) => Date.parse(`${local}+08:00`);

  it('weekends and holidays are not working days', () => {
    expect(isWorkingDay('2027-08-16', wita.holidays)).toBe(true); // Monday
    expect(isWorkingDay('2027-08-17', wita.holidays)).toBe(false); // Tuesday, Hari Kemerdekaan
    expect(isWorkingDay('2027-08-21', [])).toBe(false); // Saturday
    expect(isWorkingDay('2027-08-22', new Set<string>())).toBe(false); // Sunday
  });

  it('counts from the first working day starting at or after the reference, and ends at the local midnight after the last', () => {
    // from Monday 16 August 00:00: 16, (17 holiday), 18, 19, 20, 23 → ends at 24 August 00:00
    expect(addWorkingDays(at('2027-08-16T00:00:00'), 5, wita)).toBe(at('2027-08-24T00:00:00'));
    // from Monday 10:00 the first day counted is Wednesday (Tuesday is a holiday)
    expect(addWorkingDays(at('2027-08-16T10:00:00'), 1, wita)).toBe(at('2027-08-19T00:00:00'));
    // from a Saturday: Monday is the first
    expect(addWorkingDays(at('2027-08-21T09:00:00'), 1, wita)).toBe(at('2027-08-24T00:00:00'));
    expect(addWorkingDays(at('2027-08-21T09:00:00'), 0, wita)).toBe(at('2027-08-21T09:00:00'));
  });

  it('on every start of a year and every n up to 30: n working days lie between the start and the result', () => {
    const cal: WorkingCalendar = { timeZone: 'Asia/Jayapura', holidays: ['2027-01-01', '2027-03-10', '2027-05-06', '2027-12-24', '2027-12-25'] };
    for (let t = at('2027-01-01T00:00:00'); t < at('2028-01-01T00:00:00'); t += DAY / 3) {
      for (const n of [1, 5, 10, 30]) {
        const end = addWorkingDays(t, n, cal);
        expect(end % 3_600_000).toBe(0);
        expect(localMidnight(localDate(end, cal.timeZone), cal.timeZone)).toBe(end);
        expect(isWorkingDay(localDate(end - 1, cal.timeZone), cal.holidays)).toBe(true);
        let counted = 0;
        for (let d = localMidnight(localDate(t, cal.timeZone), cal.timeZone); d < end; d += DAY) {
          if (d >= t && isWorkingDay(localDate(d, cal.timeZone), cal.holidays)) counted++;
        }
        expect(counted).toBe(n);
      }
    }
  });

  it('spans: working days in the calendar, durations as they are; without a calendar a working day is a day', () => {
    expect(parseSpan('5wd')).toEqual({ workingDays: 5 });
    expect(parseSpan('36h')).toEqual({ ms: 36 * 3_600_000 });
    expect(parseSpan('5 wd days')).toBeNull();
    expect(addSpan(at('2027-08-16T00:00:00'), { workingDays: 5 }, wita)).toBe(at('2027-08-24T00:00:00'));
    expect(addSpan(1000, { ms: 500 }, wita)).toBe(1500);
    expect(addSpan(0, { workingDays: 2 })).toBe(2 * DAY);
  });
});

describe('the Calendar schema', () => {
  it('accepts working days for deadlines; a compressed calendar needs its period length', () => {
    expect(Calendar.parse(NATIONAL_CALENDAR).reportDeadline).toBe('5wd');
    expect(Calendar.safeParse({ ...NATIONAL_CALENDAR, reminderBefore: '2wd' }).success).toBe(false);
    const { periodLength: _, ...noLength } = DEMO_CALENDAR;
    const r = Calendar.safeParse(noLength);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['periodLength']);
  });
});
