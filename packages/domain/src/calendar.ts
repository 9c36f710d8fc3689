/**
 * The region's calendar: its time zone, the periods of a cycle year, working days and holidays. Pure and zod-free:
 * the evaluation workflow computes its deadlines with it, so nothing here reads the clock or the host's time-zone
 * database. Indonesia's three zones have had fixed offsets without daylight saving since 1988, so an offset table is
 * exact for every cycle year (2000..2100) and replays identically on any machine.
 */
import { parseDuration } from './duration.js';

export const REGION_TIME_ZONES = {
  'Asia/Jakarta': { offsetMinutes: 7 * 60, abbreviation: 'WIB' },
  'Asia/Makassar': { offsetMinutes: 8 * 60, abbreviation: 'WITA' },
  'Asia/Jayapura': { offsetMinutes: 9 * 60, abbreviation: 'WIT' },
} as const;
export type RegionTimeZone = keyof typeof REGION_TIME_ZONES;
export const REGION_TIME_ZONE_NAMES = Object.keys(REGION_TIME_ZONES) as RegionTimeZone[];
export const isRegionTimeZone = (tz: string): tz is RegionTimeZone => Object.prototype.hasOwnProperty.call(REGION_TIME_ZONES, tz);

const DAY_MS = 86_400_000;
const offsetMs = (tz: RegionTimeZone) => REGION_TIME_ZONES[tz].offsetMinutes * 60_000;

/** The instant of local midnight starting `date` ('YYYY-MM-DD') in `tz`. */
export function localMidnight(date: string, tz: RegionTimeZone): number {
  return Date.parse(`${date}T00:00:00Z`) - offsetMs(tz);
}

/** The local date ('YYYY-MM-DD') in `tz` at instant `ms`. */
export function localDate(ms: number, tz: RegionTimeZone): string {
  return new Date(ms + offsetMs(tz)).toISOString().slice(0, 10);
}

const BULAN = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ROMAN = ['I', 'II', 'III', 'IV'];

/** A period's name: "Januari 2027" or "Triwulan I 2027" (English: "January 2027", "Quarter I 2027"); no year when absent. */
export function periodLabel(kind: 'MONTHLY' | 'QUARTERLY', period: number, year?: number, lang: 'id' | 'en' = 'id'): string {
  const y = year === undefined ? '' : ` ${year}`;
  if (kind === 'QUARTERLY') return `${lang === 'en' ? 'Quarter' : 'Triwulan'} ${ROMAN[period - 1] ?? period}${y}`;
  return `${(lang === 'en' ? MONTHS_EN : BULAN)[period - 1] ?? period}${y}`;
}

/** One period of a cycle year: its boundaries are local midnights, `endsAt` exclusive (the next period's start). */
export interface CalendarPeriod {
  period: number;
  label: string;
  startsAt: string;
  endsAt: string;
}

const ymd = (y: number, m0: number) => `${y + Math.floor(m0 / 12)}-${String((m0 % 12) + 1).padStart(2, '0')}-01`;

/** The calendar months (12) or quarters (4) of `year` in `tz`, whatever the day anything else happens. */
export function cyclePeriods(year: number, kind: 'MONTHLY' | 'QUARTERLY', tz: RegionTimeZone): CalendarPeriod[] {
  const months = kind === 'QUARTERLY' ? 3 : 1;
  const count = 12 / months;
  return Array.from({ length: count }, (_, i) => ({
    period: i + 1,
    label: periodLabel(kind, i + 1, year),
    startsAt: new Date(localMidnight(ymd(year, i * months), tz)).toISOString(),
    endsAt: new Date(localMidnight(ymd(year, (i + 1) * months), tz)).toISOString(),
  }));
}

/** Saturday and Sunday are not working days; neither is a date in `holidays`. */
export function isWorkingDay(date: string, holidays: ReadonlySet<string> | readonly string[]): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (dow === 0 || dow === 6) return false;
  return Array.isArray(holidays) ? !holidays.includes(date) : !(holidays as ReadonlySet<string>).has(date);
}

/** What the working-day arithmetic needs: the zone and the holiday dates ('YYYY-MM-DD'). */
export interface WorkingCalendar {
  timeZone: RegionTimeZone;
  holidays: readonly string[];
}

/**
 * The end of the `n`-th working day counted from `fromMs`: the first day counted is the first working day that starts
 * at or after `fromMs` (a deadline counted from a period's end at midnight includes that day; one counted from 10:00
 * starts the next day). The result is the local midnight after that day. `n` ≤ 0 returns `fromMs`.
 */
export function addWorkingDays(fromMs: number, n: number, cal: WorkingCalendar): number {
  if (n <= 0) return fromMs;
  const holidays = new Set(cal.holidays);
  let day = localDate(fromMs, cal.timeZone);
  if (localMidnight(day, cal.timeZone) < fromMs) day = nextDate(day);
  let counted = 0;
  // bounded: a year has at least ~240 working days, so n working days lie within n * 2 + 60 calendar days
  for (let guard = 0; guard < n * 2 + 400; guard++) {
    if (isWorkingDay(day, holidays)) counted++;
    if (counted === n) return localMidnight(nextDate(day), cal.timeZone);
    day = nextDate(day);
  }
  return fromMs + n * DAY_MS;
}

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** A calendar span: a fixed duration ("5d", "36h", "10s") or working days ("5wd", hari kerja). */
export type Span = { ms: number } | { workingDays: number };

/** Parse "5wd" to working days, any other duration to milliseconds; null when malformed. */
export function parseSpan(text: string): Span | null {
  const wd = /^(\d+)wd$/.exec(text.trim());
  if (wd) return { workingDays: Number(wd[1]) };
  const ms = parseDuration(text);
  return ms === null ? null : { ms };
}

export function spanOf(text: string): Span {
  const s = parseSpan(text);
  if (!s) throw new RangeError(`invalid duration: ${text}`);
  return s;
}

/**
 * `fromMs` + `span`: working days need a working calendar; without one (runs that predate calendars) a working day
 * counts as a calendar day.
 */
export function addSpan(fromMs: number, span: Span, cal?: WorkingCalendar): number {
  if ('ms' in span) return fromMs + span.ms;
  return cal ? addWorkingDays(fromMs, span.workingDays, cal) : fromMs + span.workingDays * DAY_MS;
}

/**
 * A cycle's calendar, fixed when the cycle opens and carried by each evaluation's workflow input: later edits of the
 * region's zone or holiday table reach cycles opened later, never a running year.
 */
export interface CycleCalendar {
  timeZone: RegionTimeZone;
  /** the rule set's compressed (demo) calendar: `periods` is empty, periods run from the SKP's approval */
  compressed: boolean;
  periods: CalendarPeriod[];
  /** the region's non-working dates ('YYYY-MM-DD', sorted) in the cycle year and the next, where late deadlines fall */
  holidays: string[];
}

/** The calendar a cycle of `year` opens with: its periods (unless compressed) and the holidays of `year` and `year + 1`. */
export function cycleCalendar(
  year: number,
  opts: { periodKind: 'MONTHLY' | 'QUARTERLY'; compressed: boolean },
  timeZone: RegionTimeZone,
  holidays: readonly string[],
): CycleCalendar {
  const inRange = (d: string) => d >= `${year}-01-01` && d <= `${year + 1}-12-31`;
  return {
    timeZone,
    compressed: opts.compressed,
    periods: opts.compressed ? [] : cyclePeriods(year, opts.periodKind, timeZone),
    holidays: [...new Set(holidays.filter(inRange))].sort(),
  };
}
