import { z } from 'zod';

/**
 * Text hygiene: what a string may contain before it reaches a workflow, a projection or PostgreSQL.
 *
 * PostgreSQL refuses U+0000 in `text` and `jsonb` and refuses unpaired surrogates in `jsonb`; once such a
 * string sits in a workflow's history, every projection of it fails for good. Other control characters are
 * refused too: they have no business in names, notes or codes and confuse logs, exports and the web app.
 * Tab, newline and carriage return stay allowed in multi-line text.
 */

/** The issue code (zod `params.code` of the custom issue) the API maps to its localized message. */
export const INVALID_CHARACTERS = 'invalid_characters';

export interface TextProblem {
  /** UTF-16 index of the first refused character */
  index: number;
  /** e.g. "U+0000" */
  codePoint: string;
}

const hex = (n: number) => 'U+' + n.toString(16).toUpperCase().padStart(4, '0');

/** The first character `s` may not contain, or null. Multi-line text may contain tab, LF and CR. */
export function textProblem(s: string, opts: { multiline?: boolean } = {}): TextProblem | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (opts.multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
      return { index: i, codePoint: hex(c) };
    }
    if (c >= 0x7f && c <= 0x9f) return { index: i, codePoint: hex(c) };
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { index: i, codePoint: hex(c) };
    }
    if (c >= 0xdc00 && c <= 0xdfff) return { index: i, codePoint: hex(c) };
  }
  return null;
}

/** The message for a refused character, in Bahasa Indonesia and English. */
export function textProblemMessage(p: TextProblem, opts: { multiline?: boolean } = {}): { id: string; en: string } {
  const allowedId = opts.multiline ? ' (selain tab dan baris baru)' : '';
  const allowedEn = opts.multiline ? ' (other than tab and newline)' : '';
  return {
    id: `tidak boleh berisi karakter kendali atau karakter Unicode yang tidak utuh${allowedId}: ${p.codePoint} pada posisi ${p.index + 1}`,
    en: `must not contain control characters or broken Unicode${allowedEn}: ${p.codePoint} at position ${p.index + 1}`,
  };
}

function refineText(multiline: boolean) {
  return (v: string, ctx: z.core.$RefinementCtx<string>) => {
    const p = textProblem(v, { multiline });
    if (!p) return;
    const m = textProblemMessage(p, { multiline });
    ctx.addIssue({ code: 'custom', message: m.id, params: { code: INVALID_CHARACTERS, messageEn: m.en, codePoint: p.codePoint, index: p.index } });
  };
}

export interface TextOptions {
  min?: number;
  max: number;
  /** trim surrounding whitespace first (default true); identifiers and codes pass `trim: false` */
  trim?: boolean;
}

function build(multiline: boolean, { min, max, trim = true }: TextOptions) {
  let s = z.string();
  if (trim) s = s.trim();
  s = s.superRefine(refineText(multiline));
  if (min !== undefined) s = s.min(min);
  return s.max(max);
}

/** A single-line string: no control characters at all (no tab, no newline), no broken surrogates. */
export const text = (opts: TextOptions) => build(false, opts);

/** Multi-line text (notes, feedback, reasons): tab, LF and CR allowed; other control characters refused. */
export const multilineText = (opts: TextOptions) => build(true, opts);

/** An identifier (database id, code) as it arrives in a path, query or body: 1..max characters, no trimming. */
export const idText = (max = 64) => build(false, { min: 1, max, trim: false });

export interface JsonTextProblem {
  /** RFC 6901 pointer to the string value, or to the member whose key is refused */
  pointer: string;
  /** the same place as path segments (for zod issues) */
  path: (string | number)[];
  code: typeof INVALID_CHARACTERS;
  message: string;
  messageEn: string;
}

const toPointer = (path: readonly (string | number)[]) => path.map((seg) => '/' + String(seg).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/**
 * Every string and object key anywhere in an arbitrary JSON value that PostgreSQL or the app would refuse
 * (the multi-line rule: control characters other than tab/LF/CR, DEL, C1, unpaired surrogates).
 * Iterative, so a deeply nested document cannot overflow the stack; stops after `limit` problems.
 */
export function jsonTextProblems(value: unknown, limit = 100): JsonTextProblem[] {
  const out: JsonTextProblem[] = [];
  const push = (path: (string | number)[], p: TextProblem, what: 'key' | 'value') => {
    const m = textProblemMessage(p, { multiline: true });
    out.push({
      pointer: toPointer(path),
      path,
      code: INVALID_CHARACTERS,
      message: what === 'key' ? `nama kolom ${m.id}` : m.id,
      messageEn: what === 'key' ? `field name ${m.en}` : m.en,
    });
  };
  // paths as parent links, materialised only for a problem: a deep document costs O(size), not O(depth²)
  interface Place {
    up: Place | null;
    seg: string | number;
  }
  const pathOf = (place: Place | null): (string | number)[] => {
    const segs: (string | number)[] = [];
    for (let p = place; p; p = p.up) segs.push(p.seg);
    return segs.reverse();
  };
  const stack: { v: unknown; at: Place | null }[] = [{ v: value, at: null }];
  while (stack.length > 0 && out.length < limit) {
    const { v, at } = stack.pop()!;
    if (typeof v === 'string') {
      const p = textProblem(v, { multiline: true });
      if (p) push(pathOf(at), p, 'value');
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], at: { up: at, seg: i } });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (const [k] of entries) {
        const kp = textProblem(k, { multiline: true });
        if (kp) push(pathOf({ up: at, seg: k }), kp, 'key');
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ v: entries[i]![1], at: { up: at, seg: entries[i]![0] } });
    }
  }
  return out.slice(0, limit);
}

/**
 * A JSON object of any shape (a rule-set document, simulation facts) whose strings and keys pass
 * `jsonTextProblems`; each problem becomes an issue at its own path.
 */
export const cleanJsonObject = () =>
  z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
    for (const p of jsonTextProblems(v)) {
      ctx.addIssue({ code: 'custom', path: p.path, message: p.message, params: { code: INVALID_CHARACTERS, messageEn: p.messageEn } });
    }
  });
