/**
 * Response schemas shared by several routes: what the API answers, as it serialises to JSON (every date an ISO 8601
 * string in UTC, as `Date.toJSON` writes it). The routes' own bodies live beside their routes.
 */
import { z } from '@hono/zod-openapi';
import {
  BehaviourRatings,
  Evidence,
  Flag,
  IndicatorKind,
  Phase,
  Predikat,
  Rating,
  REGION_TIME_ZONE_NAMES,
  TaskKind,
  type RegionTimeZone,
} from '@kinerja/domain';
import type { EvaluationState } from '@kinerja/workflows';

/** An instant as JSON carries it: ISO 8601 in UTC (`2027-01-31T17:00:00.000Z`). */
export const IsoDateTime = z.iso.datetime({ offset: true }).openapi({ example: '2027-01-31T17:00:00.000Z' });

// ---------------------------------------------------------------- the workflow's live state (getState query)

export const ReportStateSchema = z.enum(['OPEN', 'SUBMITTED', 'REVISION_REQUESTED', 'REVIEWED', 'MISSING', 'NOT_APPLICABLE']).openapi('ReportState');

const PeriodViewSchema = z
  .object({
    period: z.number().int(),
    label: z.string().optional().openapi({ description: 'e.g. "Januari 2027" or "Triwulan I 2027"' }),
    state: ReportStateSchema,
    late: z.boolean(),
    rating: Rating.optional(),
    opensAt: IsoDateTime.optional(),
    endsAt: IsoDateTime.optional().openapi({ description: "the period's end (exclusive): the next period's start" }),
    dueAt: IsoDateTime.optional(),
    cutoffAt: IsoDateTime.optional(),
    revision: z.number().int().optional(),
    settled: z.boolean().optional().openapi({ description: 'no further action possible on this period' }),
    submittedAt: IsoDateTime.optional(),
    reviewDueAt: IsoDateTime.optional(),
  })
  .openapi('PeriodView');

const OpenTaskSchema = z
  .object({
    kind: TaskKind,
    period: z.number().int().optional(),
    assigneeId: z.string(),
    actingForId: z.string().optional(),
    escalated: z.boolean(),
    dueAt: IsoDateTime.optional(),
  })
  .openapi('OpenTask');

export const ResultViewSchema = z
  .object({
    hasilKerja: Rating,
    perilaku: Rating,
    predikat: Predikat,
    numericScore: z.number(),
    flags: z.array(Flag),
    reasons: z.array(z.string()),
    final: z.boolean(),
  })
  .openapi('ResultView');

export const EvaluationStateSchema = z
  .object({
    evaluationId: z.string(),
    phase: Phase,
    skpStatus: z.enum(['DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED']),
    supervisorId: z.string().nullable(),
    reviewerId: z.string().nullable(),
    periods: z.array(PeriodViewSchema),
    openTasks: z.array(OpenTaskSchema),
    result: ResultViewSchema.optional(),
    appeal: z
      .object({
        status: z.enum(['FILED', 'RESPONSE_REQUESTED', 'DECIDED']),
        deadline: IsoDateTime.optional(),
        responded: z.boolean().optional(),
        decision: z.string().optional().openapi({ description: 'UPHOLD | REVISE | LAPSED (no decision by the deadline)' }),
      })
      .optional(),
    appealDeadline: IsoDateTime.optional(),
    closedReason: z.string().optional(),
    seq: z.number().int().optional(),
    targetDeadline: IsoDateTime.optional(),
    projectionFailures: z.array(z.object({ seq: z.number().int(), code: z.string(), message: z.string() })).optional(),
  })
  .openapi('EvaluationState', { description: "The workflow's live state (the getState query)" });

/** Both ways: the schema describes exactly the workflows' EvaluationState, so neither can change alone. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameState: Same<z.infer<typeof EvaluationStateSchema>, EvaluationState> = true;
void sameState;

// ---------------------------------------------------------------- the evaluation projection (database rows)

export const RealisationSchema = z.object({ indicatorId: z.string(), value: z.number() }).openapi('Realisation');
export type Realisation = z.infer<typeof RealisationSchema>;

const IndicatorSchema = z
  .object({
    id: z.string(),
    rhkId: z.string(),
    position: z.number().int(),
    name: z.string(),
    kind: IndicatorKind,
    target: z.number(),
    unit: z.string(),
    weight: z.number().nullable(),
  })
  .openapi('Indicator');
const RhkSchema = z
  .object({
    id: z.string(),
    skpId: z.string(),
    position: z.number().int(),
    title: z.string(),
    parentRhkId: z.string().nullable(),
    indicators: z.array(IndicatorSchema),
  })
  .openapi('Rhk');
const SkpSchema = z
  .object({
    id: z.string(),
    evaluationId: z.string(),
    status: z.enum(['DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED']),
    revision: z.number().int(),
    returnNote: z.string().nullable(),
    submittedAt: IsoDateTime.nullable(),
    decidedAt: IsoDateTime.nullable(),
    decidedById: z.string().nullable(),
    actingForId: z.string().nullable(),
    rhk: z.array(RhkSchema),
  })
  .openapi('Skp');
const PeriodReportSchema = z
  .object({
    id: z.string(),
    evaluationId: z.string(),
    period: z.number().int(),
    status: ReportStateSchema,
    late: z.boolean(),
    realisations: z.array(RealisationSchema).nullable(),
    evidence: z.array(Evidence).nullable(),
    note: z.string().nullable(),
    revision: z.number().int(),
    submittedAt: IsoDateTime.nullable(),
    rating: Rating.nullable(),
    updatedAt: IsoDateTime,
  })
  .openapi('PeriodReport');
const ReviewSchema = z
  .object({
    id: z.string(),
    evaluationId: z.string(),
    kind: z.enum(['PERIOD', 'ANNUAL', 'APPEAL_DECISION']),
    period: z.number().int().nullable(),
    reviewerId: z.string().openapi({ description: 'the employee who acted' }),
    actingForId: z.string().nullable(),
    decision: z.enum(['RATE', 'REQUEST_REVISION', 'UPHOLD', 'REVISE']),
    hasilKerja: Rating.nullable(),
    perilaku: BehaviourRatings.nullable(),
    feedback: z.string().nullable(),
    createdAt: IsoDateTime,
  })
  .openapi('Review');
const AppealSchema = z
  .object({
    id: z.string(),
    evaluationId: z.string(),
    reasons: z.string(),
    status: z.enum(['FILED', 'RESPONSE_REQUESTED', 'DECIDED']),
    reviewerId: z.string().nullable(),
    supervisorResponse: z.string().nullable(),
    decision: z.enum(['UPHOLD', 'REVISE']).nullable(),
    decisionReasons: z.string().nullable(),
    filedAt: IsoDateTime,
    decidedAt: IsoDateTime.nullable(),
    decidedById: z.string().nullable(),
  })
  .openapi('Appeal');
export const ScoreKindSchema = z.enum(['INITIAL', 'FINAL']);
const ScoreSchema = z
  .object({
    kind: ScoreKindSchema,
    hasilKerja: Rating,
    perilaku: Rating,
    predikat: Predikat,
    numericScore: z.number(),
    flags: z.array(Flag),
    ruleSetVersionId: z.string(),
    createdAt: IsoDateTime,
  })
  .openapi('Score');
export const TaskStatusSchema = z.enum(['OPEN', 'DONE', 'CANCELLED']);
const TaskRowSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    regionId: z.string(),
    evaluationId: z.string(),
    kind: TaskKind,
    period: z.number().int().nullable(),
    assigneeId: z.string(),
    actingForId: z.string().nullable(),
    escalated: z.boolean(),
    dueAt: IsoDateTime.nullable(),
    status: TaskStatusSchema,
    createdAt: IsoDateTime,
    completedAt: IsoDateTime.nullable(),
  })
  .openapi('TaskRow');

export const EvaluationProjectionSchema = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    regionId: z.string(),
    employeeId: z.string(),
    unitId: z.string(),
    supervisorId: z.string().nullable(),
    reviewerId: z.string().nullable(),
    workflowId: z.string(),
    phase: Phase,
    closedReason: z.string().nullable(),
    seq: z.number().int(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    employee: z.object({ id: z.string(), nip: z.string(), name: z.string(), position: z.string(), unitId: z.string() }),
    cycle: z.object({ id: z.string(), year: z.number().int(), name: z.string(), ruleSetVersionId: z.string() }),
    skp: SkpSchema.nullable(),
    reports: z.array(PeriodReportSchema),
    reviews: z.array(ReviewSchema),
    appeal: AppealSchema.nullable(),
    scores: z.array(ScoreSchema),
    tasks: z.array(TaskRowSchema).openapi({ description: 'open tasks, earliest due first' }),
  })
  .openapi('EvaluationProjection');

/**
 * One RHK of the pejabat penilai's SKP in the same cycle, as the ASN sees it to pick the one theirs supports (cascade):
 * titles and ids only, never the superior's realisations or ratings.
 */
export const SuperiorRhkSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    indicators: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .openapi('SuperiorRhk');
export type SuperiorRhk = z.infer<typeof SuperiorRhkSchema>;

export const EvaluationDetailSchema = z
  .object({
    evaluation: EvaluationProjectionSchema,
    /** the RHK an RHK of this SKP may support (`parentRhkId`); empty when there is no superior or no superior SKP yet */
    superiorRhk: z.array(SuperiorRhkSchema),
    /** null when the workflow did not answer (then `workflowError` names why) */
    workflow: EvaluationStateSchema.nullable(),
    workflowError: z.string().optional(),
  })
  .openapi('EvaluationDetail');

// ---------------------------------------------------------------- small shared shapes

export const RegionTimeZoneSchema = z.enum(REGION_TIME_ZONE_NAMES as [RegionTimeZone, ...RegionTimeZone[]]);
export const CycleStatusSchema = z.enum(['OPENING', 'OPEN', 'FINALISING', 'CLOSED']);

/** Any JSON value: rule-set documents (a draft may be any object), audit snapshots, diffs. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z
  .lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]))
  .openapi('JsonValue');
export const JsonObjectSchema = z.record(z.string(), JsonValueSchema).openapi('JsonObject');

/** A cycle's calendar, fixed when it opened (domain CycleCalendar). */
export const CycleCalendarSchema = z
  .object({
    timeZone: RegionTimeZoneSchema,
    /** the rule set's compressed (demo) calendar: no calendar periods, they run from the SKP's approval */
    compressed: z.boolean(),
    periods: z.array(
      z.object({ period: z.number().int(), label: z.string(), startsAt: IsoDateTime, endsAt: IsoDateTime.openapi({ description: 'exclusive' }) }),
    ),
    /** non-working dates (YYYY-MM-DD) of the cycle year and the next */
    holidays: z.array(z.string()),
  })
  .openapi('CycleCalendar');

export const CycleSchema = z
  .object({
    id: z.string(),
    regionId: z.string(),
    year: z.number().int(),
    name: z.string(),
    ruleSetVersionId: z.string(),
    status: CycleStatusSchema,
    unitCalibration: z.boolean(),
    workflowId: z.string(),
    totalEmployees: z.number().int(),
    startedCount: z.number().int(),
    startsAt: IsoDateTime,
    /** null on cycles opened before calendars were fixed */
    calendar: CycleCalendarSchema.nullable(),
    createdAt: IsoDateTime,
    createdBy: z.string().nullable(),
  })
  .openapi('Cycle');
