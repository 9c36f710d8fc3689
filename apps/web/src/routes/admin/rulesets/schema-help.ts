import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { hoverTooltip } from '@codemirror/view';
import type { Extension } from '@codemirror/state';
import { pathAt } from './json-tree';
import schemaJson from './rule-set.schema.json';

/**
 * Completion and hover from the rule-set document's JSON Schema (generated from the zod schema by
 * @kinerja/rules `ruleSetJsonSchema`; its test keeps this copy current): member names where a name is typed, the
 * allowed values (enum, const, the fact catalog, the operators) where a value is, each with its description.
 */
interface Schema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  $ref?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}
const root = schemaJson as unknown as Schema & { $defs?: Record<string, Schema> };

const deref = (s: Schema): Schema => (s.$ref?.startsWith('#/$defs/') ? (root.$defs?.[s.$ref.slice(8)] ?? {}) : s);
/** a schema and its union's branches, flattened */
function branches(s: Schema): Schema[] {
  const d = deref(s);
  const alts = [...(d.anyOf ?? []), ...(d.oneOf ?? [])];
  return alts.length ? [d, ...alts.flatMap(branches)] : [d];
}
/** every schema the value at `segments` may have to satisfy */
export function schemasAt(segments: readonly string[]): Schema[] {
  let current: Schema[] = branches(root);
  for (const seg of segments) {
    current = current.flatMap((s) => {
      if (s.properties?.[seg]) return branches(s.properties[seg]);
      if (s.items && /^\d+$/.test(seg)) return branches(s.items);
      if (typeof s.additionalProperties === 'object') return branches(s.additionalProperties);
      return [];
    });
  }
  return current;
}

const choices = (ss: Schema[]) =>
  ss.flatMap((s) => [
    ...(s.enum ?? []).map((v) => ({ value: v, info: s.description })),
    ...(s.const !== undefined ? [{ value: s.const, info: s.description }] : []),
  ]);

function complete(ctx: CompletionContext): CompletionResult | null {
  const word = ctx.matchBefore(/"?[\w:-]*/);
  if (!word || (word.from === word.to && !ctx.explicit)) return null;
  const { segments, inKey } = pathAt(ctx.state, ctx.pos);
  const options: Completion[] = [];
  if (inKey) {
    const ss = schemasAt(segments);
    const seen = new Set<string>();
    for (const s of ss)
      for (const [name, p] of Object.entries(s.properties ?? {})) {
        if (seen.has(name)) continue;
        seen.add(name);
        options.push({ label: `"${name}"`, type: 'property', detail: describe(branches(p)), apply: `"${name}": ` });
      }
  } else {
    for (const c of choices(schemasAt(segments))) options.push({ label: JSON.stringify(c.value), type: 'constant', ...(c.info ? { info: c.info } : {}) });
  }
  return options.length ? { from: word.from, options, validFor: /^"?[\w:-]*"?$/ } : null;
}

/** A schema in a few words: its type, bounds, default and how many values it allows. */
function describe(ss: Schema[]): string {
  const types = [...new Set(ss.flatMap((s) => (s.type ? [s.type].flat() : [])))];
  const parts = [types.join(' | ')];
  for (const s of ss) {
    if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`${s.minimum ?? ''}…${s.maximum ?? ''}`);
    if (s.default !== undefined) parts.push(`= ${JSON.stringify(s.default)}`);
  }
  return parts.filter(Boolean).join(' ');
}

const hover = hoverTooltip((view, pos) => {
  const { segments } = pathAt(view.state, pos + 1);
  if (segments.length === 0) return null;
  const ss = schemasAt(segments);
  if (ss.length === 0) return null;
  const values = choices(ss);
  const own = ss.find((s) => s.description)?.description;
  const value = (() => {
    const word = view.state.wordAt(pos);
    return word ? view.state.sliceDoc(word.from, word.to) : '';
  })();
  const matched = values.find((c) => String(c.value) === value)?.info;
  return {
    pos,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'rs-hover';
      const title = document.createElement('strong');
      title.textContent = segments.join(' › ');
      const body = document.createElement('div');
      body.textContent = [describe(ss), matched ?? own, values.length && !matched ? values.map((c) => JSON.stringify(c.value)).join(', ') : '']
        .filter(Boolean)
        .join(' — ');
      dom.append(title, body);
      return { dom };
    },
  };
});

export const schemaHelp: Extension = [autocompletion({ override: [complete] }), hover];

/**
 * The document with every object's members in the order the schema names them (then any others, as they were):
 * stored as jsonb, a document comes back with its members sorted by length, a rule's `event` before its `reason`.
 */
export function inSchemaOrder(value: unknown, segments: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v, i) => inSchemaOrder(v, [...segments, String(i)]));
  if (typeof value !== 'object' || value === null) return value;
  const own = value as Record<string, unknown>;
  const named = [...new Set(schemasAt(segments).flatMap((s) => Object.keys(s.properties ?? {})))];
  const keys = [...named.filter((k) => Object.hasOwn(own, k)), ...Object.keys(own).filter((k) => !named.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, inSchemaOrder(own[k], [...segments, k])]));
}
