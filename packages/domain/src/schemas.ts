import { z } from 'zod';
import { BerakhlakAspect, IndicatorKind, PeriodKind, Rating } from './enums.js';
import { parseSpan } from './calendar.js';
import { parseDuration } from './duration.js';
import { idText, multilineText, text } from './text.js';
import { publicUrl } from './url.js';

/** NIP: 18 digits = YYYYMMDD birth date, YYYYMM appointment, 1 digit sex (1/2), 3 digits sequence. */
export function nipProblem(nip: string): string | null {
  if (!/^\d{18}$/.test(nip)) return 'NIP harus 18 digit angka';
  const by = Number(nip.slice(0, 4));
  const bm = Number(nip.slice(4, 6));
  const bd = Number(nip.slice(6, 8));
  const birth = new Date(Date.UTC(by, bm - 1, bd));
  if (by < 1900 || birth.getUTCMonth() !== bm - 1 || birth.getUTCDate() !== bd) return 'tanggal lahir dalam NIP tidak valid';
  const ay = Number(nip.slice(8, 12));
  const am = Number(nip.slice(12, 14));
  if (ay < by + 15 || am < 1 || am > 12) return 'TMT pengangkatan dalam NIP tidak valid';
  const sex = nip[14];
  if (sex !== '1' && sex !== '2') return 'digit jenis kelamin dalam NIP harus 1 atau 2';
  return null;
}

export const Nip = z.string().superRefine((v, ctx) => {
  const p = nipProblem(v);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});

/** A duration such as "14d", "36h", "90m", "30s" or "500ms". */
export const Duration = z.string().superRefine((v, ctx) => {
  if (parseDuration(v) === null) ctx.addIssue({ code: 'custom', message: 'durasi harus berbentuk angka + satuan: ms, s, m, h, d, w' });
});

/** A deadline span: a duration ("14d", "36h") or working days ("5wd", hari kerja: weekends and the region's holidays skipped). */
export const DeadlineSpan = z.string().superRefine((v, ctx) => {
  if (parseSpan(v) === null) ctx.addIssue({ code: 'custom', message: 'durasi harus berbentuk angka + satuan: ms, s, m, h, d, w, atau wd (hari kerja)' });
});

/** What happens to periods that end before the SKP is approved. */
export const PERIODS_BEFORE_APPROVAL = ['NOT_APPLICABLE', 'REPORT_LATE'] as const;

/**
 * The cycle calendar, from the rule set. Periods are the calendar months or quarters of the cycle year in the
 * region's time zone, fixed when the cycle opens. Deadlines count from the event they follow (a period's end, a
 * submission, the result), as a duration or in working days.
 *
 * `compressed` is the demo and test setting: periods of `periodLength` run back to back from the SKP's approval,
 * so a whole year passes in minutes. A real region never sets it.
 */
export const Calendar = z
  .object({
    periodKind: PeriodKind.default('MONTHLY'),
    /** demo/test only: periods of `periodLength` from the SKP's approval instead of calendar months or quarters */
    compressed: z.boolean().default(false),
    /** length of one period of a compressed calendar */
    periodLength: Duration.optional(),
    /** periods that end before the SKP is approved: not applicable (no report), or open for a report that counts as late */
    periodsBeforeApproval: z.enum(PERIODS_BEFORE_APPROVAL).default('NOT_APPLICABLE'),
    /** drafting + approval of the SKP, from the cycle's opening */
    targetDeadline: DeadlineSpan,
    /** after a period ends, reports are on time until this */
    reportDeadline: DeadlineSpan,
    /** after a period ends: accepted but flagged late until this; then recorded missing */
    reportCutoff: DeadlineSpan,
    /** the supervisor's time to review a period report */
    reviewDeadline: DeadlineSpan,
    /** the supervisor's time for the annual rating */
    ratingDeadline: DeadlineSpan,
    /** keberatan window after the result is set (PP 30/2019: 14 days) */
    appealWindow: DeadlineSpan,
    /** time for the atasan pejabat penilai to decide */
    appealDecisionDeadline: DeadlineSpan,
    /** reminder this long before a deadline */
    reminderBefore: Duration,
    /** when the supervisor does not act by the deadline: escalate to the superior's superior */
    escalation: z.enum(['SUPERIORS_SUPERIOR', 'NONE']).default('SUPERIORS_SUPERIOR'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.compressed && c.periodLength === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['periodLength'],
        message: 'kalender ringkas (compressed) memerlukan periodLength',
        params: { code: 'required_when_compressed', messageEn: 'a compressed calendar needs periodLength' },
      });
    }
  });
export type Calendar = z.infer<typeof Calendar>;

/** The national calendar for a real year: calendar months, deadlines in working days where the regulation counts them. */
export const NATIONAL_CALENDAR: Calendar = {
  periodKind: 'MONTHLY',
  compressed: false,
  periodsBeforeApproval: 'NOT_APPLICABLE',
  targetDeadline: '31d',
  reportDeadline: '5wd',
  reportCutoff: '15d',
  reviewDeadline: '10wd',
  ratingDeadline: '31d',
  appealWindow: '14d',
  appealDecisionDeadline: '14d',
  reminderBefore: '3d',
  escalation: 'SUPERIORS_SUPERIOR',
};

/**
 * The demo calendar: compressed, a whole year in a few minutes of wall-clock time (see `compressed`). The year waits a
 * day for its SKP (`npm start` opens the demo cycle before anyone signs in); after approval the twelve 10-second months
 * pass in two minutes, and the windows leave a person in a browser time to report, review, rate and appeal.
 */
export const DEMO_CALENDAR: Calendar = {
  periodKind: 'MONTHLY',
  compressed: true,
  periodLength: '10s',
  periodsBeforeApproval: 'NOT_APPLICABLE',
  targetDeadline: '1d',
  reportDeadline: '30m',
  reportCutoff: '1h',
  reviewDeadline: '30m',
  ratingDeadline: '30m',
  appealWindow: '10m',
  appealDecisionDeadline: '30m',
  reminderBefore: '5m',
  escalation: 'SUPERIORS_SUPERIOR',
};

export const IndicatorInput = z
  .object({
    name: text({ min: 3, max: 300 }),
    kind: IndicatorKind,
    target: z.number().finite().nonnegative(),
    unit: text({ min: 1, max: 50 }),
    weight: z.number().positive().max(100).optional(),
  })
  .strict();
export type IndicatorInput = z.infer<typeof IndicatorInput>;

export const RhkInput = z
  .object({
    title: text({ min: 3, max: 500 }),
    /** the superior's RHK this one supports (intervensi) */
    parentRhkId: idText(64).optional(),
    indicators: z.array(IndicatorInput).min(1).max(20),
  })
  .strict();
export type RhkInput = z.infer<typeof RhkInput>;

export const SkpDraftInput = z.object({ rhk: z.array(RhkInput).min(1).max(30) }).strict();
export type SkpDraftInput = z.infer<typeof SkpDraftInput>;

export const TargetDecisionInput = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('APPROVE'), note: multilineText({ max: 2000 }).optional() }).strict(),
  z.object({ decision: z.literal('RETURN'), note: multilineText({ min: 3, max: 2000 }) }).strict(),
]);
export type TargetDecisionInput = z.infer<typeof TargetDecisionInput>;

/**
 * Files an ASN may upload as evidence, by content type: the extensions a file picker offers, and the content types
 * whose bytes the API recognises by their signature (DOCX, XLSX, ODT and ODS are ZIP containers; text has none).
 */
export const EVIDENCE_FILE_TYPES = [
  { contentType: 'application/pdf', extensions: ['.pdf'] },
  { contentType: 'image/png', extensions: ['.png'] },
  { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'] },
  { contentType: 'image/webp', extensions: ['.webp'] },
  { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'] },
  { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'] },
  { contentType: 'application/vnd.oasis.opendocument.text', extensions: ['.odt'] },
  { contentType: 'application/vnd.oasis.opendocument.spreadsheet', extensions: ['.ods'] },
  { contentType: 'text/plain', extensions: ['.txt'] },
  { contentType: 'text/csv', extensions: ['.csv'] },
] as const;
export type EvidenceContentType = (typeof EVIDENCE_FILE_TYPES)[number]['contentType'];
export const EvidenceContentType = z.enum(EVIDENCE_FILE_TYPES.map((t) => t.contentType) as [EvidenceContentType, ...EvidenceContentType[]]);

const evidenceMeta = {
  name: text({ min: 1, max: 300 }),
  mimeType: text({ max: 200, trim: false }).optional(),
  sizeBytes: z
    .number()
    .int()
    .nonnegative()
    .max(100 * 1024 * 1024)
    .optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
};

/** A link: http(s) to a public host only, since it is shown to others as a clickable link. */
export const EvidenceLink = z.object({ kind: z.literal('LINK'), url: publicUrl({ max: 2000 }), ...evidenceMeta }).strict();
/**
 * An uploaded file, by the id the upload answered (POST /evaluations/{id}/periods/{period}/evidence). It must belong to
 * the same evaluation; the report stores the file's own name, type, size and SHA-256 from the upload.
 */
export const EvidenceFileRef = z.object({ kind: z.literal('FILE'), fileId: idText(64), ...evidenceMeta }).strict();
export const Evidence = z.discriminatedUnion('kind', [EvidenceLink, EvidenceFileRef]);
export type Evidence = z.infer<typeof Evidence>;

export const PeriodReportInput = z
  .object({
    realisations: z
      .array(z.object({ indicatorId: idText(64), value: z.number().finite().nonnegative() }).strict())
      .min(1)
      .max(200),
    evidence: z.array(Evidence).max(50).default([]),
    note: multilineText({ max: 5000 }).optional(),
  })
  .strict();
export type PeriodReportInput = z.infer<typeof PeriodReportInput>;

export const PeriodReviewInput = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('RATE'), rating: Rating, feedback: multilineText({ min: 3, max: 5000 }) }).strict(),
  z.object({ decision: z.literal('REQUEST_REVISION'), feedback: multilineText({ min: 3, max: 5000 }) }).strict(),
]);
export type PeriodReviewInput = z.infer<typeof PeriodReviewInput>;

export const BehaviourRatings = z
  .object(Object.fromEntries(BerakhlakAspect.options.map((a) => [a, Rating])) as Record<BerakhlakAspect, typeof Rating>)
  .strict();
export type BehaviourRatings = z.infer<typeof BehaviourRatings>;

export const AnnualRatingInput = z
  .object({
    hasilKerja: Rating,
    perilaku: BehaviourRatings,
    notes: multilineText({ max: 5000 }).optional(),
    // a note for some aspects only: z.record over an enum would require every aspect
    aspectNotes: z.partialRecord(BerakhlakAspect, multilineText({ max: 2000 })).optional(),
  })
  .strict();
export type AnnualRatingInput = z.infer<typeof AnnualRatingInput>;

export const AppealInput = z.object({ reasons: multilineText({ min: 10, max: 10000 }) }).strict();
export type AppealInput = z.infer<typeof AppealInput>;

export const AppealResponseInput = z.object({ response: multilineText({ min: 3, max: 10000 }) }).strict();
export type AppealResponseInput = z.infer<typeof AppealResponseInput>;

export const AppealDecisionInput = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('UPHOLD'), reasons: multilineText({ min: 3, max: 10000 }) }).strict(),
  z
    .object({
      decision: z.literal('REVISE'),
      reasons: multilineText({ min: 3, max: 10000 }),
      hasilKerja: Rating,
      perilaku: BehaviourRatings,
    })
    .strict(),
]);
export type AppealDecisionInput = z.infer<typeof AppealDecisionInput>;
