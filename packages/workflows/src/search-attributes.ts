/**
 * The Temporal search attributes of an evaluation workflow, so the Temporal UI (and `temporal workflow list --query`)
 * finds one employee's year: `KinerjaNip = '199205202019031003' AND KinerjaRegion = 'demo'`. Region and NIP are set
 * when the workflow starts; the phase is kept current by the workflow itself.
 *
 * The keys are declared here only: the starters, the workflow and the registration all read them from here, so a key
 * cannot be set without being registered. A server refuses a start that sets an unregistered attribute and fails the
 * workflow task of an upsert of one, so the worker registers them (`ensureSearchAttributes`) before it starts any.
 */
import type { upsertSearchAttributes } from '@temporalio/workflow';

// `@temporalio/workflow` does not re-export `defineSearchAttributeKey` and workflow code may import nothing else of
// Temporal's, so the keys are written as what that function returns ({ name, type }), typed by what the SDK's
// `upsertSearchAttributes` (and the client's `typedSearchAttributes`) accept.
type UpdatePair = Extract<Parameters<typeof upsertSearchAttributes>[0], readonly unknown[]>[number];
/** a search attribute of type Keyword (exact match, `=` and `IN` in visibility queries) */
export type KeywordSearchAttributeKey = Extract<UpdatePair['key'], { type: 'KEYWORD' }>;
const keyword = (name: string): KeywordSearchAttributeKey => ({ name, type: 'KEYWORD' });

/** the region's code (Region.code, e.g. "demo"), not its id: what an operator knows */
export const KinerjaRegion = keyword('KinerjaRegion');
/** the employee's 18-digit NIP */
export const KinerjaNip = keyword('KinerjaNip');
/** the evaluation's phase (`Phase` of @kinerja/domain: TARGET_SETTING, PERIODIC, …, FINAL, CLOSED) */
export const KinerjaPhase = keyword('KinerjaPhase');

/** Every attribute a server must have registered before a worker runs Kinerja's workflows, with its type. */
export const KINERJA_SEARCH_ATTRIBUTES: readonly KeywordSearchAttributeKey[] = [KinerjaRegion, KinerjaNip, KinerjaPhase];
