import { z } from 'zod';
import { Calendar, Flag, Predikat, Rating } from '@kinerja/domain';
import { RULE_SET_LIMITS } from './limits.js';

const Identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'nama harus huruf/angka/garis bawah, diawali huruf');

/** `{ "param": "capaianAbove" }`: a number taken from `params.thresholds` when the rule set is compiled. */
export const ParamRef = z.object({ param: z.string() }).strict();
export type ParamRef = z.infer<typeof ParamRef>;

/** `{ "fact": "periods" }`: compare with another fact's value. */
export const FactRef = z.object({ fact: z.string() }).strict();
export type FactRef = z.infer<typeof FactRef>;

export interface LeafCondition {
  fact: string;
  operator: string;
  /** a literal (number, string, boolean, array) or a reference `{ param }` / `{ fact }` */
  value: unknown;
}
export interface AllCondition {
  all: ConditionNode[];
}
export interface AnyCondition {
  any: ConditionNode[];
}
export type ConditionNode = LeafCondition | AllCondition | AnyCondition;
export type TopLevelCondition = AllCondition | AnyCondition;

export const LeafCondition: z.ZodType<LeafCondition> = z.object({ fact: z.string().min(1), operator: z.string().min(1), value: z.unknown() }).strict();

/** Nesting depth and condition counts are checked by `documentBounds` (limits.ts) before this schema runs. */
export const ConditionNode: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([
    LeafCondition,
    z.object({ all: z.array(ConditionNode).min(1).max(RULE_SET_LIMITS.conditionsPerBlock) }).strict(),
    z.object({ any: z.array(ConditionNode).min(1).max(RULE_SET_LIMITS.conditionsPerBlock) }).strict(),
  ]),
);

export const TopLevelCondition: z.ZodType<TopLevelCondition> = z.union([
  z.object({ all: z.array(ConditionNode).max(RULE_SET_LIMITS.conditionsPerBlock) }).strict(),
  z.object({ any: z.array(ConditionNode).min(1).max(RULE_SET_LIMITS.conditionsPerBlock) }).strict(),
]);

const Component = Identifier;

/**
 * The typed outcome of a rule that fires.
 * - `suggestHasilKerja` / `suggestPerilaku`: a suggested annual rating (used when the assessor has not rated);
 * - `setPredikat`: overrides the matrix predikat;
 * - `scoreComponent`: a value (0–100) for a weighted score component: a constant `value`, a numeric `fact`
 *   clamped to `[min, max]` (defaults 0 and 100), or a rating `fact` translated by `map`;
 * - `flag`: a follow-up flag (REWARD, COACHING, TRAINING, SANCTION_REVIEW), its reason is the rule's reason.
 */
export const RuleEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('suggestHasilKerja'), params: z.object({ rating: Rating }).strict() }).strict(),
  z.object({ type: z.literal('suggestPerilaku'), params: z.object({ rating: Rating }).strict() }).strict(),
  z.object({ type: z.literal('setPredikat'), params: z.object({ predikat: Predikat }).strict() }).strict(),
  z
    .object({
      type: z.literal('scoreComponent'),
      params: z
        .object({
          component: Component,
          value: z.number().min(0).max(100).optional(),
          fact: z.string().optional(),
          map: z
            .object({ DI_BAWAH: z.number().min(0).max(100), SESUAI: z.number().min(0).max(100), DI_ATAS: z.number().min(0).max(100) })
            .strict()
            .optional(),
          min: z.number().min(0).max(100).optional(),
          max: z.number().min(0).max(100).optional(),
        })
        .strict(),
    })
    .strict(),
  z.object({ type: z.literal('flag'), params: z.object({ flag: Flag }).strict() }).strict(),
]);
export type RuleEvent = z.infer<typeof RuleEvent>;
export type RuleEventType = RuleEvent['type'];
export const EVENT_TYPES: readonly RuleEventType[] = ['suggestHasilKerja', 'suggestPerilaku', 'setPredikat', 'scoreComponent', 'flag'];

export const Rule = z
  .object({
    /** human name, unique within the document */
    name: z.string().trim().min(3).max(200),
    /** why, shown to the employee (Bahasa Indonesia); `{factName}` is replaced by the fact's value */
    reason: z.string().trim().min(3).max(1000),
    reasonEn: z.string().trim().max(1000).optional(),
    /** higher wins when several rules produce the same single-valued outcome (default 1) */
    priority: z.number().int().min(1).max(100).optional(),
    conditions: TopLevelCondition,
    event: RuleEvent,
  })
  .strict();
export type Rule = z.infer<typeof Rule>;

export const RuleSetParams = z
  .object({
    calendar: Calendar,
    /** score components and their weights; must sum to 1 */
    weights: z.record(Component, z.number().min(0).max(1)),
    /** a weighted component without a value: REDISTRIBUTE its weight over the others, or make the score NULL */
    missingComponent: z.enum(['REDISTRIBUTE', 'NULL']),
    /** named numbers, referenced from conditions as `{ "param": name }` */
    thresholds: z.record(Identifier, z.number().finite()),
    /** the predikat comes from this matrix unless a `setPredikat` rule fires */
    predikatBasis: z.literal('PERMENPANRB_6_2022_MATRIX'),
  })
  .strict();
export type RuleSetParams = z.infer<typeof RuleSetParams>;

export const RuleSetDocument = z
  .object({
    schemaVersion: z.literal(1),
    key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'kunci: huruf kecil, angka, tanda hubung'),
    name: z.string().trim().min(3).max(200),
    description: z.string().trim().max(5000),
    params: RuleSetParams,
    /** facts the rules use (each must be in FACT_CATALOG) */
    facts: z.array(z.string()).max(100),
    rules: z.array(Rule).max(RULE_SET_LIMITS.rules),
  })
  .strict();
export type RuleSetDocument = z.infer<typeof RuleSetDocument>;
/** The document as written (calendar defaults may be omitted). */
export type RuleSetDocumentInput = z.input<typeof RuleSetDocument>;
