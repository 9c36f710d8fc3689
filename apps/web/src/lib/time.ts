/** Deadline arithmetic and wording, pure: the countdown component re-renders these every second. */

export interface TimeWords {
  left: (span: string) => string;
  overdue: (span: string) => string;
  days: (n: number) => string;
  hours: (n: number) => string;
  minutes: (n: number) => string;
  seconds: (n: number) => string;
  now: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span in its two largest units ("2 hari 3 jam", "5 minutes 10 seconds"); under a second it is "now". */
export function formatSpan(ms: number, w: TimeWords): string {
  const abs = Math.abs(ms);
  if (abs < SECOND) return w.now;
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const seconds = Math.floor((abs % MINUTE) / SECOND);
  const parts: string[] = [];
  if (days) parts.push(w.days(days), ...(hours ? [w.hours(hours)] : []));
  else if (hours) parts.push(w.hours(hours), ...(minutes ? [w.minutes(minutes)] : []));
  else if (minutes) parts.push(w.minutes(minutes), ...(seconds ? [w.seconds(seconds)] : []));
  else parts.push(w.seconds(seconds));
  return parts.join(' ');
}

export type Urgency = 'overdue' | 'soon' | 'later';

export interface Countdown {
  text: string;
  urgency: Urgency;
  /** how often the text changes: the component's tick */
  tickMs: number;
}

/** Within a day of the deadline a task is "soon". */
export const SOON_MS = DAY;

export function countdown(dueAt: string | Date, now: number, w: TimeWords): Countdown {
  const due = typeof dueAt === 'string' ? Date.parse(dueAt) : dueAt.getTime();
  const ms = due - now;
  const span = formatSpan(ms, w);
  const urgency: Urgency = ms < 0 ? 'overdue' : ms < SOON_MS ? 'soon' : 'later';
  const abs = Math.abs(ms);
  // seconds matter only when the second unit is shown (under an hour); otherwise a minute tick is enough
  const tickMs = abs < HOUR ? SECOND : MINUTE;
  return { text: ms < 0 ? w.overdue(span) : w.left(span), urgency, tickMs };
}

/** Whole days left until an instant (rounded up: "1 day left" until the last moment), never negative. */
export function daysLeft(until: string | Date, now: number): number {
  const end = typeof until === 'string' ? Date.parse(until) : until.getTime();
  return Math.max(0, Math.ceil((end - now) / DAY));
}

export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));
}

/**
 * A period's span as people read it: its first and last day, or times as well when it is shorter than two days
 * (a compressed demo calendar). `endsAt` is exclusive: the last moment shown is just before it.
 */
export function formatRange(opensAt: string, endsAt: string, locale: string): [string, string] {
  const from = Date.parse(opensAt);
  const to = Date.parse(endsAt) - 1;
  const short = to - from < 2 * DAY;
  const f = new Intl.DateTimeFormat(locale, short ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
  return [f.format(new Date(from)), f.format(new Date(to))];
}
