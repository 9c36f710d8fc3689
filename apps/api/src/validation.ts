import type { Lang } from '@kinerja/domain';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ProblemError, type FieldError } from './problem.js';

type Issue = z.core.$ZodIssue;

export function jsonPointer(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  return '/' + path.map((seg) => String(seg).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

const fieldName = (path: readonly PropertyKey[]) => path.map(String).join('.');

const TYPE_ID: Record<string, string> = {
  string: 'teks',
  number: 'angka',
  int: 'bilangan bulat',
  boolean: 'boolean',
  object: 'objek',
  array: 'larik (array)',
  date: 'tanggal',
  bigint: 'bilangan bulat',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return { found: false, value: undefined };
    const rec = cur as Record<PropertyKey, unknown>;
    if (!(seg in rec)) return { found: false, value: undefined };
    cur = rec[seg];
  }
  return { found: true, value: cur };
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function msg(lang: Lang, id: string, en: string) {
  return lang === 'en' ? en : id;
}

function unit(origin: string | undefined, lang: Lang) {
  if (origin === 'string') return msg(lang, ' karakter', ' characters');
  if (origin === 'array' || origin === 'set') return msg(lang, ' item', ' items');
  return '';
}

/**
 * The union branch a value was closest to: fewest issues, where an unknown key or a missing field counts as a
 * worse fit than a wrong value. Null when two branches fit equally well (then the union as a whole is reported).
 */
function closestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | null {
  const cost = (issues: readonly Issue[]) => issues.reduce((n, i) => n + (i.code === 'unrecognized_keys' ? 100 : i.code === 'invalid_type' ? 10 : 1), 0);
  const ranked = branches.map((b) => ({ b, c: cost(b) })).sort((x, y) => x.c - y.c);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0]!.c === ranked[1]!.c)) return null;
  return ranked[0]!.b;
}

/** Turn zod issues into localized field errors with JSON pointers. `input` (when known) tells missing from wrong. */
export function issuesToErrors(issues: readonly Issue[], lang: Lang, input?: unknown, where: FieldError['in'] = 'body'): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = issue.path;
    const base = { pointer: jsonPointer(path), field: fieldName(path), ...(where !== 'body' ? { in: where } : {}) };
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const p = [...path, key];
          out.push({
            ...base,
            pointer: jsonPointer(p),
            field: fieldName(p),
            code: 'unrecognized_key',
            message: msg(lang, 'kolom tidak dikenal', 'unknown field'),
          });
        }
        break;
      case 'invalid_type': {
        const at = input === undefined ? { found: true, value: undefined } : valueAt(input, path);
        if (input !== undefined && (!at.found || at.value === undefined)) {
          out.push({ ...base, code: 'required', message: msg(lang, 'wajib diisi', 'is required') });
        } else {
          const exp = String(issue.expected);
          if (input === undefined) {
            out.push({ ...base, code: 'invalid_type', message: msg(lang, `harus bertipe ${TYPE_ID[exp] ?? exp}`, `must be ${exp}`) });
            break;
          }
          out.push({
            ...base,
            code: 'invalid_type',
            message: msg(lang, `harus bertipe ${TYPE_ID[exp] ?? exp} (diterima: ${typeOf(at.value)})`, `must be ${exp} (received ${typeOf(at.value)})`),
          });
        }
        break;
      }
      case 'too_small': {
        const min = String(issue.minimum);
        const u = unit(issue.origin, lang);
        const m =
          issue.inclusive === false
            ? msg(lang, `harus lebih dari ${min}${u}`, `must be greater than ${min}${u}`)
            : msg(lang, `minimal ${min}${u}`, `must be at least ${min}${u}`);
        out.push({ ...base, code: 'too_small', message: m });
        break;
      }
      case 'too_big': {
        const max = String(issue.maximum);
        const u = unit(issue.origin, lang);
        const m =
          issue.inclusive === false
            ? msg(lang, `harus kurang dari ${max}${u}`, `must be less than ${max}${u}`)
            : msg(lang, `maksimal ${max}${u}`, `must be at most ${max}${u}`);
        out.push({ ...base, code: 'too_big', message: m });
        break;
      }
      case 'invalid_value': {
        const vals = issue.values.map((v) => JSON.stringify(v)).join(', ');
        out.push({ ...base, code: 'invalid_value', message: msg(lang, `harus salah satu dari: ${vals}`, `must be one of: ${vals}`) });
        break;
      }
      case 'invalid_format':
        out.push({ ...base, code: 'invalid_format', message: msg(lang, `format tidak valid (${issue.format})`, `invalid format (${issue.format})`) });
        break;
      case 'invalid_union': {
        const disc = (issue as { discriminator?: string }).discriminator;
        const branch = closestBranch(issue.errors);
        if (disc !== undefined || (issue as { note?: string }).note === 'No matching discriminator') {
          out.push({ ...base, code: 'invalid_discriminator', message: msg(lang, 'nilai pembeda tidak dikenal', 'unknown discriminator value') });
        } else if (branch) {
          // the value clearly meant one of the shapes: name the fields that are wrong in it
          out.push(
            ...issuesToErrors(
              branch.map((i) => ({ ...i, path: [...path, ...i.path] })),
              lang,
              input,
              where,
            ),
          );
        } else {
          out.push({ ...base, code: 'invalid_union', message: msg(lang, 'tidak cocok dengan bentuk yang diizinkan', 'does not match any allowed shape') });
        }
        break;
      }
      case 'invalid_key':
        out.push({ ...base, code: 'invalid_key', message: msg(lang, 'kunci tidak valid', 'invalid key') });
        break;
      case 'invalid_element':
        out.push({ ...base, code: 'invalid_element', message: msg(lang, 'elemen tidak valid', 'invalid element') });
        break;
      case 'not_multiple_of':
        out.push({
          ...base,
          code: 'not_multiple_of',
          message: msg(lang, `harus kelipatan ${String(issue.divisor)}`, `must be a multiple of ${String(issue.divisor)}`),
        });
        break;
      default: {
        // custom issues carry the domain's own (Indonesian) message; the domain's text, link and date checks also
        // name their code and an English message in `params`
        const params = (issue as { params?: { code?: unknown; messageEn?: unknown } }).params;
        const code = typeof params?.code === 'string' ? params.code : issue.code;
        const en = typeof params?.messageEn === 'string' ? params.messageEn : issue.message;
        out.push({ ...base, code, message: msg(lang, issue.message, en) });
      }
    }
  }
  return out;
}

export function validationProblem(error: z.ZodError, lang: Lang, input?: unknown, where: FieldError['in'] = 'body'): ProblemError {
  return new ProblemError('VALIDATION_FAILED', { errors: issuesToErrors(error.issues, lang, input, where) });
}

const TARGET_IN: Record<string, FieldError['in']> = { json: 'body', query: 'query', param: 'param', header: 'header' };

/** The zod-openapi defaultHook: every validation failure becomes a 422 problem with pointers. */
export async function defaultHook(
  result: { target: string; success: true; data: unknown } | { target: string; success: false; error: z.ZodError },
  c: Context,
): Promise<void> {
  if (result.success) return;
  const lang = (c.get('lang') as Lang | undefined) ?? 'id';
  let input: unknown;
  if (result.target === 'json') {
    try {
      input = await c.req.json();
    } catch {
      input = {}; // no JSON body at all: every field is missing
    }
  } else if (result.target === 'query') {
    input = c.req.query();
  } else if (result.target === 'param') {
    input = c.req.param();
  }
  throw validationProblem(result.error, lang, input, TARGET_IN[result.target] ?? 'body');
}
