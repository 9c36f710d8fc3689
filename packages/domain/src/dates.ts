import { z } from 'zod';

/**
 * Dates people type are kept within a window of years: a year 0001 or 9999 is a typo, and nothing in Kinerja
 * (cycles are 2000..2100) can mean it. Where a cycle applies, the window is the cycle's year ± 1.
 */
export const SANE_YEARS = { min: 2000, max: 2100 } as const;

export const OUT_OF_RANGE = 'out_of_range';

export interface YearWindow {
  minYear: number;
  maxYear: number;
}

export const cycleYearWindow = (year: number): YearWindow => ({ minYear: year - 1, maxYear: year + 1 });

const DEFAULT_WINDOW: YearWindow = { minYear: SANE_YEARS.min, maxYear: SANE_YEARS.max };

/** Why `d` (its UTC year) lies outside the window, in Bahasa Indonesia and English; null when inside. */
export function yearWindowProblem(d: Date, w: YearWindow = DEFAULT_WINDOW): { id: string; en: string } | null {
  const y = d.getUTCFullYear();
  if (Number.isNaN(y)) return { id: 'tanggal tidak valid', en: 'invalid date' };
  if (y >= w.minYear && y <= w.maxYear) return null;
  return {
    id: `tahun harus antara ${w.minYear} dan ${w.maxYear} (diterima: ${y})`,
    en: `the year must be between ${w.minYear} and ${w.maxYear} (received ${y})`,
  };
}

function outOfRange(ctx: z.core.$RefinementCtx<string>, m: { id: string; en: string }, path?: PropertyKey[]) {
  ctx.addIssue({ code: 'custom', message: m.id, params: { code: OUT_OF_RANGE, messageEn: m.en }, ...(path ? { path } : {}) });
}

/** An ISO 8601 instant with an offset, inside the year window (default 2000..2100). */
export const dateTime = (w: YearWindow = DEFAULT_WINDOW) =>
  z.iso
    .datetime({ offset: true })
    .superRefine((v, ctx) => {
      const p = yearWindowProblem(new Date(v), w);
      if (p) outOfRange(ctx, p);
    })
    .describe(`ISO 8601 date-time with offset, year ${w.minYear}..${w.maxYear}`);

/** A real calendar date 'YYYY-MM-DD' (no 2025-02-30). */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A calendar date 'YYYY-MM-DD' that exists, inside the year window (default 2000..2100). */
export const calendarDate = (w: YearWindow = DEFAULT_WINDOW) =>
  z
    .string()
    .superRefine((v, ctx) => {
      if (!isCalendarDate(v)) {
        ctx.addIssue({
          code: 'custom',
          message: 'tanggal harus berformat YYYY-MM-DD dan ada di kalender',
          params: { code: 'invalid_date', messageEn: 'must be a real date YYYY-MM-DD' },
        });
        return;
      }
      const p = yearWindowProblem(new Date(`${v}T00:00:00Z`), w);
      if (p) outOfRange(ctx, p);
    })
    .describe(`A calendar date YYYY-MM-DD, year ${w.minYear}..${w.maxYear}`);
