import { createHash } from 'node:crypto';

/** RFC 6901 escaping of one reference token. */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toPointer(path: readonly (string | number | symbol)[]): string {
  return path.map((p) => '/' + escapePointerToken(typeof p === 'symbol' ? String(p) : p)).join('');
}

/** Canonical JSON: object keys sorted, `undefined` members dropped, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null';
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v)).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
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
  walk(a, b, '', out);
  return out;
}

function walk(a: unknown, b: unknown, ptr: string, out: DiffEntry[]): void {
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const p = ptr + '/' + escapePointerToken(k);
      const av = a[k];
      const bv = b[k];
      if (av === undefined && bv !== undefined) out.push({ pointer: p, op: 'add', after: bv });
      else if (av !== undefined && bv === undefined) out.push({ pointer: p, op: 'remove', before: av });
      else if (av !== undefined) walk(av, bv, p, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) walk(a[i], b[i], `${ptr}/${i}`, out);
    for (let i = common; i < b.length; i++) out.push({ pointer: `${ptr}/${i}`, op: 'add', after: b[i] });
    for (let i = a.length - 1; i >= common; i--) out.push({ pointer: `${ptr}/${i}`, op: 'remove', before: a[i] });
    return;
  }
  if (canonicalJson(a) !== canonicalJson(b)) out.push({ pointer: ptr, op: 'replace', before: a, after: b });
}
