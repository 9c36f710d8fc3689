import { createHash } from 'node:crypto';

/** RFC 6901 escaping of one reference token. */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toPointer(path: readonly (string | number | symbol)[]): string {
  return path.map((p) => '/' + escapePointerToken(typeof p === 'symbol' ? String(p) : p)).join('');
}

/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, no whitespace. Iterative (an explicit stack of
 * values and literal pieces), so any nesting depth is serialised without overflowing the call stack.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  const stack: ({ lit: string } | { v: unknown })[] = [{ v: value }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('lit' in item) {
      out.push(item.lit);
      continue;
    }
    const v = item.v;
    if (v === null || typeof v !== 'object') {
      if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) out.push('null');
      else out.push(JSON.stringify(v));
      continue;
    }
    // pushed in reverse: the stack pops them in order
    if (Array.isArray(v)) {
      stack.push({ lit: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ v: v[i] });
        if (i > 0) stack.push({ lit: ',' });
      }
      out.push('[');
      continue;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    stack.push({ lit: '}' });
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push({ v: obj[keys[i]!] });
      stack.push({ lit: (i > 0 ? ',' : '') + JSON.stringify(keys[i]) + ':' });
    }
    out.push('{');
  }
  return out.join('');
}

/** sha256 (hex) of the canonical JSON: stable across key order and formatting. */
export function contentHash(doc: unknown): string {
  return createHash('sha256').update(canonicalJson(doc)).digest('hex');
}

export interface DiffEntry {
  /** RFC 6901 pointer into the documents */
  pointer: string;
  op: 'add' | 'remove' | 'replace';
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Structural difference from `a` to `b`, as RFC 6902-like operations: objects member by member (sorted keys),
 * arrays index by index (changes at an index are `replace`; a longer/shorter array adds/removes at the tail).
 */
export function diffRuleSets(a: unknown, b: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  // an explicit stack of pending comparisons and ready entries, pushed in reverse so they come out in document order
  const stack: ({ entry: DiffEntry } | { a: unknown; b: unknown; ptr: string })[] = [{ a, b, ptr: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('entry' in item) {
      out.push(item.entry);
      continue;
    }
    const { a: x, b: y, ptr } = item;
    const todo: typeof stack = [];
    if (isObject(x) && isObject(y)) {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const k of [...keys].sort()) {
        const p = ptr + '/' + escapePointerToken(k);
        const av = x[k];
        const bv = y[k];
        if (av === undefined && bv !== undefined) todo.push({ entry: { pointer: p, op: 'add', after: bv } });
        else if (av !== undefined && bv === undefined) todo.push({ entry: { pointer: p, op: 'remove', before: av } });
        else if (av !== undefined) todo.push({ a: av, b: bv, ptr: p });
      }
    } else if (Array.isArray(x) && Array.isArray(y)) {
      const common = Math.min(x.length, y.length);
      for (let i = 0; i < common; i++) todo.push({ a: x[i], b: y[i], ptr: `${ptr}/${i}` });
      for (let i = common; i < y.length; i++) todo.push({ entry: { pointer: `${ptr}/${i}`, op: 'add', after: y[i] } });
      for (let i = x.length - 1; i >= common; i--) todo.push({ entry: { pointer: `${ptr}/${i}`, op: 'remove', before: x[i] } });
    } else if (canonicalJson(x) !== canonicalJson(y)) todo.push({ entry: { pointer: ptr, op: 'replace', before: x, after: y } });
    for (let i = todo.length - 1; i >= 0; i--) stack.push(todo[i]!);
  }
  return out;
}
