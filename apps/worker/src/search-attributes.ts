/**
 * Registration of Kinerja's search attributes (KINERJA_SEARCH_ATTRIBUTES of @kinerja/workflows) on a Temporal
 * namespace. A server refuses a workflow start that sets an unregistered attribute and fails the workflow task of an
 * upsert of one, so every server the workflows run on needs them before a cycle opens.
 */
import type { Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { KINERJA_SEARCH_ATTRIBUTES, type KeywordSearchAttributeKey } from '@kinerja/workflows';

/** the gRPC status codes the registration tells apart */
const ALREADY_EXISTS = 6;
const UNIMPLEMENTED = 12;

/** IndexedValueType of temporal.api.enums.v1, by the SDK's type name */
const INDEXED_VALUE_TYPE: Record<KeywordSearchAttributeKey['type'], number> = { KEYWORD: 2 };

export interface SearchAttributesRegistration {
  /** the attributes this call registered (empty when the namespace had them all) */
  added: string[];
}

/**
 * Registers the attributes the namespace lacks, and nothing else: idempotent. Lists first, so a namespace that has them
 * all costs one read and needs no permission to change it. An add of one the namespace got meanwhile (another worker
 * starting at once) is answered with success or "already exists", both fine. Throws when a name is registered with
 * another type: that attribute cannot hold Kinerja's values and an operator must decide.
 *
 * The time-skipping test server cannot list (UNIMPLEMENTED); there every attribute is added and "already exists" is
 * the answer for the ones it has.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection | NativeConnection, 'operatorService'>,
  namespace: string,
): Promise<SearchAttributesRegistration> {
  const existing = await listCustom(connection, namespace);
  const missing = KINERJA_SEARCH_ATTRIBUTES.filter((k) => {
    const type = existing?.[k.name];
    if (type === undefined || type === null) return true;
    if (type !== INDEXED_VALUE_TYPE[k.type]) {
      throw new Error(`search attribute ${k.name} of namespace ${namespace} is registered with type ${JSON.stringify(type)}, Kinerja needs ${k.type}`);
    }
    return false;
  });
  const added: string[] = [];
  // one at a time: a batch fails whole on its first existing name, and another worker may be adding the same ones
  for (const k of missing) {
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [k.name]: INDEXED_VALUE_TYPE[k.type] } });
      added.push(k.name);
    } catch (err) {
      if (!isCode(err, ALREADY_EXISTS)) throw err;
    }
  }
  return { added };
}

/** the namespace's custom attributes by name (type as IndexedValueType), or undefined when the server cannot list */
async function listCustom(connection: Pick<Connection | NativeConnection, 'operatorService'>, namespace: string) {
  try {
    const r = await connection.operatorService.listSearchAttributes({ namespace });
    return (r.customAttributes ?? {}) as Record<string, unknown>;
  } catch (err) {
    if (isCode(err, UNIMPLEMENTED)) return undefined;
    throw err;
  }
}

const isCode = (err: unknown, code: number) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
