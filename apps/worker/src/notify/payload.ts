/**
 * What a notification says: the facts an event produces (pure, from the workflow's change or reminder) and the names
 * the outbox resolves in the projection's transaction. The payload column holds both; the templates and the webhook's
 * `data` read it back through `NotificationPayload`, so a row the worker cannot read is a delivery failure with a
 * reason, never a crash of the dispatcher.
 */
import { z } from 'zod';
import { Predikat, Rating, TaskKind, isRegionTimeZone, type RegionTimeZone } from '@kinerja/domain';

const iso = z.string().min(1);
const period = { period: z.number().int().positive().optional(), periodLabel: z.string().optional() };
const result = { predikat: Predikat, hasilKerja: Rating, perilaku: Rating, numericScore: z.number() };

/** The event's own facts, by event. */
export const NotificationFacts = z.discriminatedUnion('event', [
  z.object({ event: z.literal('REMINDER'), task: TaskKind, ...period, dueAt: iso }),
  /** the task moved to the recipient, who now acts for `fromId` */
  z.object({ event: z.literal('ESCALATION'), task: TaskKind, ...period, dueAt: iso.optional(), fromId: z.string().nullable() }),
  z.object({ event: z.literal('SKP_RETURNED'), note: z.string().nullable(), byId: z.string(), targetDeadline: iso.optional() }),
  z.object({
    event: z.literal('PERIOD_FEEDBACK'),
    period: z.number().int().positive(),
    periodLabel: z.string().optional(),
    decision: z.enum(['RATE', 'REQUEST_REVISION']),
    rating: Rating.optional(),
    feedback: z.string(),
    byId: z.string(),
    /** a revision is accepted until then */
    cutoffAt: iso.optional(),
  }),
  z.object({ event: z.literal('ANNUAL_RESULT'), ...result, appealDeadline: iso.optional() }),
  z.object({ event: z.literal('APPEAL_DECISION'), decision: z.enum(['UPHOLD', 'REVISE', 'LAPSED']), ...result }),
]);
export type NotificationFacts = z.infer<typeof NotificationFacts>;

const timeZone = z.string().refine(isRegionTimeZone, 'not a region time zone') as unknown as z.ZodType<RegionTimeZone>;

/** Names and settings resolved when the row is written. */
export const NotificationContext = z.object({
  recipientName: z.string(),
  /** the employee whose evaluation it is (the recipient, or the subordinate a supervisor's task is about) */
  employeeName: z.string(),
  /** who acted (the supervisor who returned or rated; the official an escalated task came from) */
  byName: z.string().optional(),
  /** the appeal decision's reasons (UPHOLD, REVISE) */
  reasons: z.string().optional(),
  timeZone,
});
export type NotificationContext = z.infer<typeof NotificationContext>;

export const NotificationPayload = z.intersection(NotificationFacts, NotificationContext);
export type NotificationPayload = NotificationFacts & NotificationContext;

/** One notification to write: an event for one recipient, before its channels are resolved. */
export interface NotificationIntent {
  /** the employee it is for */
  recipientId: string;
  evaluationId: string;
  /** unique for the event and the recipient; the outbox appends the channel */
  key: string;
  facts: NotificationFacts;
}

export type Lang = 'id' | 'en';
export const asLang = (v: string | null | undefined): Lang => (v === 'en' ? 'en' : 'id');
