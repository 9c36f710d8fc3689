import { RATING_VALUE, type Rating } from '@kinerja/domain';
import type { FactType } from './catalog.js';

/**
 * What the condition's `value` must be for an operator:
 * - `scalar`: one value of the fact's own type (number for numeric facts, a member for rating/enum facts);
 * - `number`: a number (numeric facts only);
 * - `list`: a non-empty array of scalars of the fact's type;
 * - `range`: `[low, high]` numbers with low ≤ high (inclusive);
 * - `rating`: a rating;
 * - `boolean`: true/false.
 */
export type OperatorValueKind = 'scalar' | 'number' | 'list' | 'range' | 'rating' | 'boolean';

export interface OperatorSpec {
  name: string;
  /** fact types the operator applies to */
  factTypes: readonly FactType[];
  value: OperatorValueKind;
  /** the comparison; `a` is never null/undefined here (except for `present`) */
  test: (a: unknown, b: unknown) => boolean;
  description: { id: string; en: string };
}

const SCALAR: readonly FactType[] = ['number', 'integer', 'rating', 'enum'];
const NUMERIC: readonly FactType[] = ['number', 'integer'];

const n = (x: unknown) => x as number;

export const OPERATORS: readonly OperatorSpec[] = [
  { name: 'equal', factTypes: SCALAR, value: 'scalar', test: (a, b) => a === b, description: { id: 'sama dengan', en: 'equals' } },
  { name: 'notEqual', factTypes: SCALAR, value: 'scalar', test: (a, b) => a !== b, description: { id: 'tidak sama dengan', en: 'does not equal' } },
  { name: 'in', factTypes: SCALAR, value: 'list', test: (a, b) => (b as unknown[]).includes(a), description: { id: 'salah satu dari', en: 'is one of' } },
  {
    name: 'notIn',
    factTypes: SCALAR,
    value: 'list',
    test: (a, b) => !(b as unknown[]).includes(a),
    description: { id: 'bukan salah satu dari', en: 'is none of' },
  },
  { name: 'lessThan', factTypes: NUMERIC, value: 'number', test: (a, b) => n(a) < n(b), description: { id: 'kurang dari', en: 'less than' } },
  { name: 'lessThanInclusive', factTypes: NUMERIC, value: 'number', test: (a, b) => n(a) <= n(b), description: { id: 'paling banyak', en: 'at most' } },
  { name: 'greaterThan', factTypes: NUMERIC, value: 'number', test: (a, b) => n(a) > n(b), description: { id: 'lebih dari', en: 'greater than' } },
  { name: 'greaterThanInclusive', factTypes: NUMERIC, value: 'number', test: (a, b) => n(a) >= n(b), description: { id: 'paling sedikit', en: 'at least' } },
  {
    name: 'between',
    factTypes: NUMERIC,
    value: 'range',
    test: (a, b) => {
      const [lo, hi] = b as [number, number];
      return n(a) >= lo && n(a) <= hi;
    },
    description: { id: 'di antara (inklusif)', en: 'between (inclusive)' },
  },
  {
    name: 'ratingAtLeast',
    factTypes: ['rating'],
    value: 'rating',
    test: (a, b) => RATING_VALUE[a as Rating] >= RATING_VALUE[b as Rating],
    description: { id: 'rating paling rendah', en: 'rating at least' },
  },
  {
    name: 'ratingAtMost',
    factTypes: ['rating'],
    value: 'rating',
    test: (a, b) => RATING_VALUE[a as Rating] <= RATING_VALUE[b as Rating],
    description: { id: 'rating paling tinggi', en: 'rating at most' },
  },
  {
    name: 'present',
    factTypes: ['number', 'integer', 'rating', 'enum', 'number[]'],
    value: 'boolean',
    test: (a, b) => (a !== null && a !== undefined) === b,
    description: { id: 'fakta tersedia (true) / tidak tersedia (false)', en: 'fact is present (true) / absent (false)' },
  },
];

export const OPERATORS_BY_NAME: ReadonlyMap<string, OperatorSpec> = new Map(OPERATORS.map((o) => [o.name, o]));

/** Decorators allowed on list facts (`number[]`): `someFact:<op>` / `everyFact:<op>` with a numeric operator. */
export const LIST_DECORATORS = ['someFact', 'everyFact'] as const;

export interface ResolvedOperator {
  spec: OperatorSpec;
  decorator: (typeof LIST_DECORATORS)[number] | null;
}

/** Split `someFact:lessThan` into its decorator and base operator; null when unknown. */
export function resolveOperator(name: string): ResolvedOperator | null {
  const i = name.indexOf(':');
  if (i < 0) {
    const spec = OPERATORS_BY_NAME.get(name);
    return spec ? { spec, decorator: null } : null;
  }
  const dec = name.slice(0, i);
  const spec = OPERATORS_BY_NAME.get(name.slice(i + 1));
  if (!spec || !(LIST_DECORATORS as readonly string[]).includes(dec)) return null;
  if (!spec.factTypes.includes('number')) return null;
  return { spec, decorator: dec as ResolvedOperator['decorator'] };
}

/**
 * The null-safe comparison every rule uses: a comparison on an absent fact (null/undefined) is FALSE for every
 * operator, including negative ones (`notEqual`, `notIn`); only `present` sees absence.
 * List decorators: `someFact` is true when some element passes, `everyFact` when every element passes; an
 * absent list is false for both (empty lists are normalised to absent).
 */
export function compare(op: ResolvedOperator, factValue: unknown, value: unknown): boolean {
  const { spec, decorator } = op;
  if (spec.name === 'present' && decorator === null) return spec.test(factValue, value);
  if (factValue === null || factValue === undefined || value === null || value === undefined) return false;
  if (decorator === null) return spec.test(factValue, value);
  if (!Array.isArray(factValue)) return false;
  const list = factValue as unknown[];
  return decorator === 'someFact' ? list.some((x) => spec.test(x, value)) : list.length > 0 && list.every((x) => spec.test(x, value));
}
