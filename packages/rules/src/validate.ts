import { type z } from 'zod';
import { FLAGS, PREDIKATS, RATINGS, parseSpan, type Span } from '@kinerja/domain';
import { FACTS_BY_NAME, type FactDefinition } from './catalog.js';
import { canonicalJson, escapePointerToken, toPointer } from './canonical.js';
import { resolveOperator, type ResolvedOperator } from './operators.js';
import { documentBounds } from './limits.js';
import { EVENT_TYPES, RuleSetDocument } from './schema.js';

export interface ValidationError {
  /** RFC 6901 JSON pointer into the document, e.g. /rules/3/conditions/all/0/fact */
  pointer: string;
  /** stable machine code, e.g. UNKNOWN_FACT */
  code: string;
  /** Bahasa Indonesia, actionable */
  message: string;
  messageEn: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: ValidationError[];
}

/** Error codes validateRuleSet can report. */
export const VALIDATION_CODES = [
  'INVALID_TYPE',
  'INVALID_VALUE',
  'INVALID_FORMAT',
  'UNKNOWN_PROPERTY',
  'MISSING_PROPERTY',
  'TOO_SMALL',
  'TOO_BIG',
  'INVALID_STRUCTURE',
  'INVALID_DURATION',
  'CALENDAR_ORDER',
  'WEIGHTS_SUM',
  'COMPONENT_WITHOUT_RULE',
  'UNKNOWN_FACT',
  'DUPLICATE_FACT',
  'FACT_NOT_DECLARED',
  'UNKNOWN_OPERATOR',
  'OPERATOR_NOT_APPLICABLE',
  'UNSUPPORTED_CONDITION',
  'VALUE_TYPE_MISMATCH',
  'INVALID_RATING',
  'INVALID_ENUM_VALUE',
  'INVALID_RANGE',
  'UNKNOWN_PARAM',
  'UNKNOWN_EVENT_TYPE',
  'INVALID_PREDIKAT',
  'INVALID_FLAG',
  'UNKNOWN_COMPONENT',
  'SCORE_SOURCE',
  'DUPLICATE_RULE_NAME',
  'UNREACHABLE_RULE',
  'CONTRADICTORY_OUTCOME',
  'TOO_DEEP',
  'TOO_MANY_CONDITIONS',
  'INVALID_CHARACTERS',
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o: Json, k: string) => Object.prototype.hasOwnProperty.call(o, k);

class Collector {
  readonly errors: ValidationError[] = [];
  add(pointer: string, code: ValidationCode, message: string, messageEn: string) {
    this.errors.push({ pointer, code, message, messageEn });
  }
}

/**
 * Validate a rule-set document: its shape (zod schema, issues mapped to JSON pointers) and its meaning (known
 * facts/operators/outcomes, value types, ratings, reachable rules, non-contradictory outcomes, calendar,
 * weights), after its bounds (`documentBounds`: nesting depth, condition counts, control characters). A document
 * is publishable only when `ok`.
 */
export function validateRuleSet(doc: unknown): ValidationResult {
  const c = new Collector();
  if (!isObj(doc)) {
    c.add('', 'INVALID_TYPE', 'Dokumen aturan harus berupa objek JSON.', 'The rule-set document must be a JSON object.');
    return { ok: false, errors: c.errors };
  }
  // bounds first: the checks below recurse, and a document past the depth or size limits is refused as it is
  const bounds = documentBounds(doc);
  for (const e of bounds) c.add(e.pointer, e.code, e.message, e.messageEn);
  if (bounds.some((e) => e.code !== 'INVALID_CHARACTERS')) return { ok: false, errors: c.errors };
  const semanticRoots = new Set<string>();
  semantic(doc, c, semanticRoots);
  const parsed = RuleSetDocument.safeParse(doc);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const e of zodIssue(issue)) {
        if ([...semanticRoots].some((r) => e.pointer === r || e.pointer.startsWith(r + '/'))) continue;
        if (c.errors.some((x) => x.pointer === e.pointer && x.code === e.code)) continue;
        c.errors.push(e);
      }
    }
  }
  return { ok: c.errors.length === 0, errors: c.errors };
}

export class RuleSetInvalidError extends Error {
  constructor(readonly errors: readonly ValidationError[]) {
    super(`aturan tidak valid: ${errors.map((e) => `${e.pointer || '/'} ${e.code}: ${e.message}`).join('; ')}`);
    this.name = 'RuleSetInvalidError';
  }
}

function zodIssue(issue: z.core.$ZodIssue): ValidationError[] {
  const pointer = toPointer(issue.path);
  const last = issue.path[issue.path.length - 1];
  const en = issue.message;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({
        pointer: `${pointer}/${escapePointerToken(k)}`,
        code: 'UNKNOWN_PROPERTY',
        message: `Properti "${k}" tidak dikenal; hapus atau perbaiki ejaannya.`,
        messageEn: `Unknown property "${k}"; remove it or fix its spelling.`,
      }));
    case 'invalid_type':
      if (issue.input === undefined)
        return [
          {
            pointer,
            code: 'MISSING_PROPERTY',
            message: `Properti "${String(last)}" wajib diisi (${issue.expected}).`,
            messageEn: `Property "${String(last)}" is required (${issue.expected}).`,
          },
        ];
      return [{ pointer, code: 'INVALID_TYPE', message: `Jenis nilai salah: seharusnya ${issue.expected}.`, messageEn: en }];
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      const code: ValidationCode = last === 'rating' ? 'INVALID_RATING' : 'INVALID_VALUE';
      return [{ pointer, code, message: `Nilai tidak diizinkan; pilih salah satu dari ${allowed}.`, messageEn: en }];
    }
    case 'too_small':
      return [{ pointer, code: 'TOO_SMALL', message: `Nilai terlalu kecil/pendek (minimum ${String(issue.minimum)}).`, messageEn: en }];
    case 'too_big':
      return [{ pointer, code: 'TOO_BIG', message: `Nilai terlalu besar/panjang (maksimum ${String(issue.maximum)}).`, messageEn: en }];
    case 'invalid_key':
      return [
        { pointer, code: 'INVALID_FORMAT', message: `Nama "${String(last)}" tidak valid: gunakan huruf, angka, garis bawah; diawali huruf.`, messageEn: en },
      ];
    case 'invalid_format':
      return [{ pointer, code: 'INVALID_FORMAT', message: `Format tidak valid: ${issue.message}.`, messageEn: en }];
    case 'custom':
      if ((issue as { params?: { code?: unknown } }).params?.code === 'required_when_compressed')
        return [
          {
            pointer,
            code: 'MISSING_PROPERTY',
            message: 'Kalender ringkas (compressed) memerlukan "periodLength".',
            messageEn: 'A compressed calendar needs "periodLength".',
          },
        ];
      if (issue.path.includes('calendar'))
        return [
          {
            pointer,
            code: 'INVALID_DURATION',
            message: 'Durasi harus berbentuk angka + satuan (ms, s, m, h, d, w), mis. "14d", atau hari kerja "5wd".',
            messageEn: 'A duration is a number and a unit (ms, s, m, h, d, w), e.g. "14d", or working days "5wd".',
          },
        ];
      return [{ pointer, code: 'INVALID_VALUE', message: issue.message, messageEn: en }];
    default:
      return [{ pointer, code: 'INVALID_STRUCTURE', message: `Struktur tidak valid: ${issue.message}.`, messageEn: en }];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Meaning

interface Ctx {
  c: Collector;
  declared: Set<string>;
  thresholds: Json;
  weights: Json;
}

function semantic(doc: Json, c: Collector, roots: Set<string>): void {
  const params = isObj(doc.params) ? doc.params : {};
  const thresholds = isObj(params.thresholds) ? params.thresholds : {};
  const weights = isObj(params.weights) ? params.weights : {};

  // calendar ordering
  const cal = isObj(params.calendar) ? params.calendar : null;
  if (cal) {
    const span = (v: unknown) => (typeof v === 'string' ? parseSpan(v) : null);
    for (const [k, v] of Object.entries(cal)) {
      const sp = span(v);
      if (sp && ('ms' in sp ? sp.ms : sp.workingDays) === 0)
        c.add(`/params/calendar/${k}`, 'INVALID_DURATION', `Durasi "${k}" harus lebih dari nol.`, `Duration "${k}" must be greater than zero.`);
    }
    // n working days last at least n days and may last any longer (holidays): refused only when surely before
    const dl = span(cal.reportDeadline);
    const co = span(cal.reportCutoff);
    const DAY = 86_400_000;
    const minMs = (sp: Span) => ('ms' in sp ? sp.ms : sp.workingDays * DAY);
    const surelyBefore = (a: Span, b: Span) => ('workingDays' in a && 'workingDays' in b ? a.workingDays < b.workingDays : 'ms' in a ? a.ms < minMs(b) : false);
    if (dl && co && surelyBefore(co, dl))
      c.add(
        '/params/calendar/reportCutoff',
        'CALENDAR_ORDER',
        'reportCutoff harus sama dengan atau setelah reportDeadline.',
        'reportCutoff must not be before reportDeadline.',
      );
  }

  // weights
  if (isObj(params.weights)) {
    const vals = Object.values(weights);
    if (vals.every((v) => typeof v === 'number')) {
      const sum = vals.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-9)
        c.add(
          '/params/weights',
          'WEIGHTS_SUM',
          `Jumlah bobot harus 1 (sekarang ${round(sum)}); sesuaikan bobot komponen.`,
          `Weights must sum to 1 (now ${round(sum)}).`,
        );
    }
  }

  // declared facts
  const declared = new Set<string>();
  if (Array.isArray(doc.facts)) {
    doc.facts.forEach((f, j) => {
      if (typeof f !== 'string') return;
      if (!FACTS_BY_NAME.has(f))
        c.add(`/facts/${j}`, 'UNKNOWN_FACT', `Fakta "${f}" tidak ada dalam katalog fakta${suggest(f)}.`, `Fact "${f}" is not in the fact catalog.`);
      else if (declared.has(f)) c.add(`/facts/${j}`, 'DUPLICATE_FACT', `Fakta "${f}" tercantum dua kali.`, `Fact "${f}" is listed twice.`);
      declared.add(f);
    });
  }

  const ctx: Ctx = { c, declared, thresholds, weights };
  const rules = Array.isArray(doc.rules) ? doc.rules : [];
  const names = new Map<string, number>();
  const producedComponents = new Set<string>();
  const outcomeKeys: { i: number; key: string; type: string; sub: string; params: string; name: string }[] = [];

  rules.forEach((rule, i) => {
    if (!isObj(rule)) return;
    const base = `/rules/${i}`;
    if (typeof rule.name === 'string') {
      const prev = names.get(rule.name);
      if (prev !== undefined)
        c.add(
          `${base}/name`,
          'DUPLICATE_RULE_NAME',
          `Nama aturan "${rule.name}" sudah dipakai aturan #${prev}; beri nama yang unik.`,
          `Rule name "${rule.name}" is already used by rule #${prev}.`,
        );
      else names.set(rule.name, i);
    }
    if (typeof rule.reason === 'string') {
      for (const m of rule.reason.matchAll(/\{([^{}]+)\}/g)) {
        const f = m[1]!;
        if (!FACTS_BY_NAME.has(f))
          c.add(`${base}/reason`, 'UNKNOWN_FACT', `Alasan memakai {${f}} yang bukan fakta di katalog.`, `The reason uses {${f}}, which is not a catalog fact.`);
        else if (!declared.has(f))
          c.add(
            `${base}/reason`,
            'FACT_NOT_DECLARED',
            `Alasan memakai fakta "${f}" yang belum dicantumkan di /facts.`,
            `The reason uses fact "${f}", not listed in /facts.`,
          );
      }
    }
    const before = c.errors.length;
    if (has(rule, 'conditions')) {
      checkTop(rule.conditions, `${base}/conditions`, ctx);
      if (c.errors.length > before) roots.add(`${base}/conditions`);
      else reachability(rule.conditions, `${base}/conditions`, ctx);
    }
    const beforeEvent = c.errors.length;
    if (isObj(rule.event)) {
      const out = checkEvent(rule.event, `${base}/event`, ctx);
      if (c.errors.length > beforeEvent) roots.add(`${base}/event`);
      else if (out) {
        if (out.component) producedComponents.add(out.component);
        if (out.single && has(rule, 'conditions'))
          outcomeKeys.push({
            i,
            key: canonicalJson(sortConditions(rule.conditions)),
            type: out.type,
            sub: out.component ?? '',
            params: canonicalJson(rule.event.params),
            name: String(rule.name),
          });
      }
    }
  });

  // contradictory outcomes: identical conditions, same single-valued outcome, different values
  const seen = new Map<string, (typeof outcomeKeys)[number]>();
  for (const o of outcomeKeys) {
    const k = `${o.type}|${o.sub}|${o.key}`;
    const prev = seen.get(k);
    if (!prev) {
      seen.set(k, o);
      continue;
    }
    if (prev.params !== o.params)
      c.add(
        `/rules/${o.i}/event/params`,
        'CONTRADICTORY_OUTCOME',
        `Aturan "${o.name}" punya kondisi yang sama dengan aturan #${prev.i} "${prev.name}" tetapi hasil ${o.type} berbeda; satukan atau bedakan kondisinya.`,
        `Rule "${o.name}" has the same conditions as rule #${prev.i} "${prev.name}" but a different ${o.type} outcome.`,
      );
  }

  // every weighted component needs a rule that produces it
  for (const comp of Object.keys(weights)) {
    if (!producedComponents.has(comp) && typeof weights[comp] === 'number' && weights[comp] > 0)
      c.add(
        `/params/weights/${escapePointerToken(comp)}`,
        'COMPONENT_WITHOUT_RULE',
        `Komponen nilai "${comp}" berbobot tetapi tidak ada aturan scoreComponent yang mengisinya.`,
        `Score component "${comp}" has a weight but no scoreComponent rule produces it.`,
      );
  }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

function suggest(name: string): string {
  const lower = name.toLowerCase();
  for (const k of FACTS_BY_NAME.keys()) if (k.toLowerCase() === lower) return `; maksud Anda "${k}"?`;
  return '';
}

function checkTop(node: unknown, ptr: string, ctx: Ctx): void {
  if (!isObj(node) || !(has(node, 'all') || has(node, 'any'))) {
    if (isObj(node) && has(node, 'not'))
      ctx.c.add(
        `${ptr}/not`,
        'UNSUPPORTED_CONDITION',
        'Blok "not" tidak didukung; gunakan operator kebalikannya (mis. lessThan ↔ greaterThanInclusive, in ↔ notIn).',
        '"not" blocks are not supported; use the complementary operator.',
      );
    else ctx.c.add(ptr, 'INVALID_STRUCTURE', 'Kondisi teratas harus berupa blok "all" atau "any".', 'Top-level conditions must be an "all" or "any" block.');
    return;
  }
  checkNode(node, ptr, ctx);
}

function checkNode(node: unknown, ptr: string, ctx: Ctx): void {
  const { c } = ctx;
  if (!isObj(node)) {
    c.add(ptr, 'INVALID_STRUCTURE', 'Kondisi harus berupa objek.', 'A condition must be an object.');
    return;
  }
  if (has(node, 'not')) {
    c.add(
      `${ptr}/not`,
      'UNSUPPORTED_CONDITION',
      'Blok "not" tidak didukung; gunakan operator kebalikannya (mis. lessThan ↔ greaterThanInclusive, in ↔ notIn).',
      '"not" blocks are not supported; use the complementary operator.',
    );
    return;
  }
  if (has(node, 'condition')) {
    c.add(
      `${ptr}/condition`,
      'UNSUPPORTED_CONDITION',
      'Referensi kondisi bersama tidak didukung; tulis kondisinya langsung di aturan.',
      'Shared condition references are not supported; inline the condition.',
    );
    return;
  }
  for (const block of ['all', 'any'] as const) {
    if (has(node, block)) {
      const list = node[block];
      if (!Array.isArray(list)) {
        c.add(`${ptr}/${block}`, 'INVALID_STRUCTURE', `"${block}" harus berupa daftar kondisi.`, `"${block}" must be a list of conditions.`);
        return;
      }
      list.forEach((child, k) => checkNode(child, `${ptr}/${block}/${k}`, ctx));
      return;
    }
  }
  for (const k of ['path', 'params', 'priority']) {
    if (has(node, k))
      c.add(
        `${ptr}/${k}`,
        'UNSUPPORTED_CONDITION',
        `"${k}" pada kondisi tidak didukung; fakta berupa nilai tunggal.`,
        `"${k}" on a condition is not supported; facts are plain values.`,
      );
  }
  const fact = node.fact;
  if (typeof fact !== 'string') {
    c.add(
      `${ptr}/fact`,
      has(node, 'fact') ? 'INVALID_TYPE' : 'MISSING_PROPERTY',
      'Kondisi harus menyebut "fact" (nama fakta).',
      'A condition must name a "fact".',
    );
    return;
  }
  const def = FACTS_BY_NAME.get(fact);
  if (!def) {
    c.add(`${ptr}/fact`, 'UNKNOWN_FACT', `Fakta "${fact}" tidak ada dalam katalog fakta${suggest(fact)}.`, `Fact "${fact}" is not in the fact catalog.`);
    return;
  }
  if (!ctx.declared.has(fact))
    c.add(
      `${ptr}/fact`,
      'FACT_NOT_DECLARED',
      `Fakta "${fact}" dipakai tetapi belum dicantumkan di /facts; tambahkan.`,
      `Fact "${fact}" is used but not listed in /facts.`,
    );
  if (typeof node.operator !== 'string') {
    c.add(
      `${ptr}/operator`,
      has(node, 'operator') ? 'INVALID_TYPE' : 'MISSING_PROPERTY',
      'Kondisi harus menyebut "operator".',
      'A condition must name an "operator".',
    );
    return;
  }
  const op = resolveOperator(node.operator);
  if (!op) {
    c.add(`${ptr}/operator`, 'UNKNOWN_OPERATOR', `Operator "${node.operator}" tidak dikenal.`, `Unknown operator "${node.operator}".`);
    return;
  }
  const listFact = def.type === 'number[]';
  const applicable = op.decorator !== null ? listFact : op.spec.factTypes.includes(def.type);
  if (!applicable) {
    c.add(
      `${ptr}/operator`,
      'OPERATOR_NOT_APPLICABLE',
      listFact
        ? `Fakta daftar "${fact}" memakai someFact:<operator> atau everyFact:<operator> (atau present).`
        : `Operator "${node.operator}" tidak berlaku untuk fakta "${fact}" (jenis ${def.type}).`,
      `Operator "${node.operator}" does not apply to fact "${fact}" (type ${def.type}).`,
    );
    return;
  }
  if (!has(node, 'value')) {
    c.add(`${ptr}/value`, 'MISSING_PROPERTY', 'Kondisi harus punya "value".', 'A condition needs a "value".');
    return;
  }
  checkValue(node.value, `${ptr}/value`, def, op, ctx);
}

/** Element type for comparisons: list facts compare element-wise with numbers. */
function scalarType(def: FactDefinition): 'number' | 'string' {
  return def.type === 'rating' || def.type === 'enum' ? 'string' : 'number';
}

function checkScalar(v: unknown, ptr: string, def: FactDefinition, ctx: Ctx): void {
  const { c } = ctx;
  if (isObj(v) && has(v, 'param')) return checkParam(v, ptr, def, ctx);
  if (isObj(v) && has(v, 'fact')) return checkFactRef(v, ptr, def, ctx);
  if (scalarType(def) === 'number') {
    if (typeof v !== 'number' || !Number.isFinite(v))
      c.add(
        ptr,
        'VALUE_TYPE_MISMATCH',
        `Fakta "${def.name}" berupa angka; nilai pembanding harus angka, bukan ${JSON.stringify(v)}.`,
        `Fact "${def.name}" is numeric; compare it with a number, not ${JSON.stringify(v)}.`,
      );
    return;
  }
  if (typeof v !== 'string') {
    c.add(
      ptr,
      'VALUE_TYPE_MISMATCH',
      `Fakta "${def.name}" berupa teks pilihan; nilai pembanding harus salah satu dari ${def.values!.join(', ')}.`,
      `Fact "${def.name}" is a choice; compare it with one of ${def.values!.join(', ')}.`,
    );
    return;
  }
  if (!def.values!.includes(v)) {
    if (def.type === 'rating')
      c.add(ptr, 'INVALID_RATING', `"${v}" bukan rating; gunakan ${RATINGS.join(', ')}.`, `"${v}" is not a rating; use ${RATINGS.join(', ')}.`);
    else
      c.add(
        ptr,
        'INVALID_ENUM_VALUE',
        `"${v}" bukan nilai yang sah untuk "${def.name}"; gunakan ${def.values!.join(', ')}.`,
        `"${v}" is not a valid value of "${def.name}".`,
      );
  }
}

function checkParam(v: Json, ptr: string, def: FactDefinition, ctx: Ctx): void {
  const name = v.param;
  if (typeof name !== 'string' || Object.keys(v).length !== 1) {
    ctx.c.add(ptr, 'INVALID_STRUCTURE', 'Referensi parameter berbentuk { "param": "nama" }.', 'A parameter reference is { "param": "name" }.');
    return;
  }
  if (typeof ctx.thresholds[name] !== 'number') {
    ctx.c.add(
      `${ptr}/param`,
      'UNKNOWN_PARAM',
      `Parameter "${name}" tidak ada di /params/thresholds; tambahkan atau perbaiki namanya.`,
      `Parameter "${name}" is not defined in /params/thresholds.`,
    );
    return;
  }
  if (scalarType(def) !== 'number')
    ctx.c.add(
      ptr,
      'VALUE_TYPE_MISMATCH',
      `Parameter "${name}" berupa angka, sedangkan fakta "${def.name}" bukan angka.`,
      `Parameter "${name}" is a number but fact "${def.name}" is not numeric.`,
    );
}

function checkFactRef(v: Json, ptr: string, def: FactDefinition, ctx: Ctx): void {
  const name = v.fact;
  if (typeof name !== 'string' || Object.keys(v).length !== 1) {
    ctx.c.add(ptr, 'INVALID_STRUCTURE', 'Referensi fakta berbentuk { "fact": "nama" }.', 'A fact reference is { "fact": "name" }.');
    return;
  }
  const other = FACTS_BY_NAME.get(name);
  if (!other) {
    ctx.c.add(`${ptr}/fact`, 'UNKNOWN_FACT', `Fakta "${name}" tidak ada dalam katalog fakta${suggest(name)}.`, `Fact "${name}" is not in the fact catalog.`);
    return;
  }
  if (!ctx.declared.has(name))
    ctx.c.add(
      `${ptr}/fact`,
      'FACT_NOT_DECLARED',
      `Fakta "${name}" dipakai tetapi belum dicantumkan di /facts.`,
      `Fact "${name}" is used but not listed in /facts.`,
    );
  const sameKind = other.type !== 'number[]' && scalarType(other) === scalarType(def) && (scalarType(def) === 'number' || other.values === def.values);
  if (!sameKind)
    ctx.c.add(
      ptr,
      'VALUE_TYPE_MISMATCH',
      `Fakta "${def.name}" tidak dapat dibandingkan dengan fakta "${name}" (jenis berbeda).`,
      `Fact "${def.name}" cannot be compared with fact "${name}" (different types).`,
    );
}

function checkValue(v: unknown, ptr: string, def: FactDefinition, op: ResolvedOperator, ctx: Ctx): void {
  const { c } = ctx;
  switch (op.spec.value) {
    case 'boolean':
      if (typeof v !== 'boolean')
        c.add(ptr, 'VALUE_TYPE_MISMATCH', 'Operator "present" membutuhkan nilai true atau false.', 'Operator "present" needs true or false.');
      return;
    case 'scalar':
      return checkScalar(v, ptr, def, ctx);
    case 'number':
      if (isObj(v)) return checkScalar(v, ptr, def, ctx);
      if (typeof v !== 'number' || !Number.isFinite(v))
        c.add(
          ptr,
          'VALUE_TYPE_MISMATCH',
          `Operator "${op.spec.name}" membandingkan angka; nilai ${JSON.stringify(v)} bukan angka.`,
          `Operator "${op.spec.name}" compares numbers; ${JSON.stringify(v)} is not a number.`,
        );
      return;
    case 'rating':
      if (typeof v !== 'string') c.add(ptr, 'VALUE_TYPE_MISMATCH', 'Nilai pembanding harus rating.', 'The value must be a rating.');
      else if (!(RATINGS as readonly string[]).includes(v))
        c.add(ptr, 'INVALID_RATING', `"${v}" bukan rating; gunakan ${RATINGS.join(', ')}.`, `"${v}" is not a rating.`);
      return;
    case 'list':
      if (!Array.isArray(v) || v.length === 0) {
        c.add(
          ptr,
          'VALUE_TYPE_MISMATCH',
          `Operator "${op.spec.name}" membutuhkan daftar nilai yang tidak kosong.`,
          `Operator "${op.spec.name}" needs a non-empty list.`,
        );
        return;
      }
      v.forEach((x, k) => {
        if (isObj(x))
          c.add(`${ptr}/${k}`, 'VALUE_TYPE_MISMATCH', 'Anggota daftar harus nilai langsung, bukan referensi.', 'List members must be literal values.');
        else checkScalar(x, `${ptr}/${k}`, def, ctx);
      });
      return;
    case 'range': {
      if (!Array.isArray(v) || v.length !== 2) {
        c.add(ptr, 'INVALID_RANGE', 'Operator "between" membutuhkan [batas bawah, batas atas].', 'Operator "between" needs [low, high].');
        return;
      }
      const vals = v.map((x, k) => {
        if (isObj(x) && has(x, 'param')) {
          checkParam(x, `${ptr}/${k}`, def, ctx);
          const t = ctx.thresholds[String(x.param)];
          return typeof t === 'number' ? t : null;
        }
        if (typeof x !== 'number' || !Number.isFinite(x)) {
          c.add(`${ptr}/${k}`, 'VALUE_TYPE_MISMATCH', 'Batas rentang harus angka.', 'Range bounds must be numbers.');
          return null;
        }
        return x;
      });
      if (vals[0] != null && vals[1] != null && vals[0] > vals[1])
        c.add(ptr, 'INVALID_RANGE', `Batas bawah ${vals[0]} lebih besar dari batas atas ${vals[1]}.`, `Low bound ${vals[0]} is above high bound ${vals[1]}.`);
      return;
    }
  }
}

interface EventInfo {
  type: string;
  single: boolean;
  component?: string;
}

function checkEvent(ev: Json, ptr: string, ctx: Ctx): EventInfo | null {
  const { c } = ctx;
  const type = ev.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    c.add(
      `${ptr}/type`,
      'UNKNOWN_EVENT_TYPE',
      `Jenis hasil "${String(type)}" tidak dikenal; gunakan ${EVENT_TYPES.join(', ')}.`,
      `Unknown outcome type "${String(type)}"; use ${EVENT_TYPES.join(', ')}.`,
    );
    return null;
  }
  const p = isObj(ev.params) ? ev.params : null;
  if (!p) {
    c.add(`${ptr}/params`, 'MISSING_PROPERTY', 'Hasil aturan harus punya "params".', 'The outcome needs "params".');
    return null;
  }
  const pp = `${ptr}/params`;
  switch (type) {
    case 'suggestHasilKerja':
    case 'suggestPerilaku':
      if (!(RATINGS as readonly unknown[]).includes(p.rating))
        c.add(`${pp}/rating`, 'INVALID_RATING', `"${String(p.rating)}" bukan rating; gunakan ${RATINGS.join(', ')}.`, `"${String(p.rating)}" is not a rating.`);
      return { type, single: true };
    case 'setPredikat':
      if (!(PREDIKATS as readonly unknown[]).includes(p.predikat))
        c.add(
          `${pp}/predikat`,
          'INVALID_PREDIKAT',
          `"${String(p.predikat)}" bukan predikat; gunakan ${PREDIKATS.join(', ')}.`,
          `"${String(p.predikat)}" is not a predikat.`,
        );
      return { type, single: true };
    case 'flag':
      if (!(FLAGS as readonly unknown[]).includes(p.flag))
        c.add(
          `${pp}/flag`,
          'INVALID_FLAG',
          `"${String(p.flag)}" bukan tanda tindak lanjut; gunakan ${FLAGS.join(', ')}.`,
          `"${String(p.flag)}" is not a flag.`,
        );
      return { type, single: false };
    default: {
      // scoreComponent
      const comp = p.component;
      if (typeof comp !== 'string' || !has(ctx.weights, comp)) {
        c.add(
          `${pp}/component`,
          'UNKNOWN_COMPONENT',
          `Komponen "${String(comp)}" tidak ada di /params/weights; tambahkan bobotnya.`,
          `Component "${String(comp)}" is not in /params/weights.`,
        );
        return null;
      }
      const hasValue = has(p, 'value');
      const hasFact = has(p, 'fact');
      if (hasValue === hasFact) {
        c.add(
          pp,
          'SCORE_SOURCE',
          'scoreComponent harus punya tepat satu sumber: "value" (angka) atau "fact".',
          'scoreComponent needs exactly one source: "value" or "fact".',
        );
        return null;
      }
      if (hasValue && (has(p, 'map') || has(p, 'min') || has(p, 'max')))
        c.add(pp, 'SCORE_SOURCE', '"map", "min" dan "max" hanya berlaku bersama "fact".', '"map", "min" and "max" only apply with "fact".');
      if (hasFact) {
        const f = p.fact;
        const def = typeof f === 'string' ? FACTS_BY_NAME.get(f) : undefined;
        if (!def) c.add(`${pp}/fact`, 'UNKNOWN_FACT', `Fakta "${String(f)}" tidak ada dalam katalog fakta.`, `Fact "${String(f)}" is not in the fact catalog.`);
        else {
          if (!ctx.declared.has(def.name))
            c.add(
              `${pp}/fact`,
              'FACT_NOT_DECLARED',
              `Fakta "${def.name}" dipakai tetapi belum dicantumkan di /facts.`,
              `Fact "${def.name}" is used but not listed in /facts.`,
            );
          if (def.type === 'rating' && !has(p, 'map'))
            c.add(
              `${pp}/map`,
              'SCORE_SOURCE',
              `Fakta rating "${def.name}" membutuhkan "map" (nilai untuk DI_BAWAH, SESUAI, DI_ATAS).`,
              `Rating fact "${def.name}" needs a "map".`,
            );
          else if (def.type !== 'rating' && has(p, 'map'))
            c.add(`${pp}/map`, 'SCORE_SOURCE', '"map" hanya untuk fakta rating.', '"map" only applies to rating facts.');
          else if (def.type === 'enum' || def.type === 'number[]')
            c.add(`${pp}/fact`, 'VALUE_TYPE_MISMATCH', `Fakta "${def.name}" bukan angka atau rating.`, `Fact "${def.name}" is neither numeric nor a rating.`);
        }
        if (typeof p.min === 'number' && typeof p.max === 'number' && p.min > p.max)
          c.add(`${pp}/min`, 'INVALID_RANGE', '"min" tidak boleh lebih besar dari "max".', '"min" must not exceed "max".');
      }
      return { type, single: true, component: comp };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reachability of `all` chains

interface FactCons {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
  set: Set<unknown> | null;
  excluded: Set<unknown>;
  present: boolean | null;
  compared: boolean;
}

function reachability(top: unknown, ptr: string, ctx: Ctx): void {
  if (!isObj(top) || !Array.isArray(top.all)) return;
  const cons = new Map<string, FactCons>();
  const leaves: { node: Json; ptr: string }[] = [];
  const collect = (list: unknown[], p: string) =>
    list.forEach((n, k) => {
      if (!isObj(n)) return;
      if (Array.isArray(n.all)) collect(n.all, `${p}/${k}/all`);
      else if (typeof n.fact === 'string') leaves.push({ node: n, ptr: `${p}/${k}` });
    });
  collect(top.all, `${ptr}/all`);
  for (const { node, ptr: lp } of leaves) {
    const def = FACTS_BY_NAME.get(node.fact as string)!;
    const op = resolveOperator(node.operator as string)!;
    let c = cons.get(def.name);
    if (!c) {
      c = {
        lo: def.min ?? -Infinity,
        loOpen: false,
        hi: def.max ?? Infinity,
        hiOpen: false,
        set: def.values ? new Set(def.values) : null,
        excluded: new Set(),
        present: null,
        compared: false,
      };
      cons.set(def.name, c);
    }
    const value = resolveValue(node.value, ctx);
    if (value === undefined) continue; // fact references: not analysed
    if (op.spec.name === 'present' && op.decorator === null) {
      if (value === false) {
        // comparisons on an absent fact are false, so "absent" and any comparison cannot both hold
        if (c.compared || c.present === true) return unreachable(ctx, lp, def.name);
        c.present = false;
      } else {
        if (c.present === false) return unreachable(ctx, lp, def.name);
        c.present = true;
      }
      continue;
    }
    c.compared = true;
    if (c.present === false) return unreachable(ctx, lp, def.name);
    if (op.decorator !== null) continue;
    apply(c, op.spec.name, value);
    if (isEmpty(c, def)) return unreachable(ctx, lp, def.name);
  }
}

function unreachable(ctx: Ctx, ptr: string, fact: string): void {
  ctx.c.add(
    ptr,
    'UNREACHABLE_RULE',
    `Aturan tidak pernah terpenuhi: kondisi ini bertentangan dengan kondisi lain pada fakta "${fact}" dalam blok "all" yang sama.`,
    `The rule can never fire: this condition contradicts another one on fact "${fact}" in the same "all" block.`,
  );
}

function resolveValue(v: unknown, ctx: Ctx): unknown {
  if (isObj(v)) {
    if (has(v, 'param')) return ctx.thresholds[String(v.param)];
    return undefined;
  }
  if (Array.isArray(v)) return (v as unknown[]).map((x: unknown) => (isObj(x) && has(x, 'param') ? ctx.thresholds[String(x.param)] : x));
  return v;
}

function apply(c: FactCons, op: string, v: unknown): void {
  const lower = (x: number, open: boolean) => {
    if (x > c.lo || (x === c.lo && open)) {
      c.lo = x;
      c.loOpen = open;
    }
  };
  const upper = (x: number, open: boolean) => {
    if (x < c.hi || (x === c.hi && open)) {
      c.hi = x;
      c.hiOpen = open;
    }
  };
  const restrict = (vals: unknown[]) => {
    const s = new Set(vals);
    c.set = c.set ? new Set([...c.set].filter((x) => s.has(x))) : s;
  };
  switch (op) {
    case 'equal':
      restrict([v]);
      break;
    case 'in':
      restrict(v as unknown[]);
      break;
    case 'notEqual':
      c.excluded.add(v);
      break;
    case 'notIn':
      for (const x of v as unknown[]) c.excluded.add(x);
      break;
    case 'lessThan':
      upper(v as number, true);
      break;
    case 'lessThanInclusive':
      upper(v as number, false);
      break;
    case 'greaterThan':
      lower(v as number, true);
      break;
    case 'greaterThanInclusive':
      lower(v as number, false);
      break;
    case 'between': {
      const [a, b] = v as [number, number];
      lower(a, false);
      upper(b, false);
      break;
    }
    case 'ratingAtLeast':
      restrict(RATINGS.slice(RATINGS.indexOf(v as (typeof RATINGS)[number])));
      break;
    case 'ratingAtMost':
      restrict(RATINGS.slice(0, RATINGS.indexOf(v as (typeof RATINGS)[number]) + 1));
      break;
  }
}

function isEmpty(c: FactCons, def: FactDefinition): boolean {
  if (c.set) {
    const numeric = def.type === 'number' || def.type === 'integer';
    for (const x of c.set) {
      if (c.excluded.has(x)) continue;
      if (!numeric) return false;
      const n = x as number;
      const aboveLo = n > c.lo || (n === c.lo && !c.loOpen);
      const belowHi = n < c.hi || (n === c.hi && !c.hiOpen);
      if (aboveLo && belowHi && (def.type !== 'integer' || Number.isInteger(n))) return false;
    }
    return true;
  }
  let lo = c.lo;
  let hi = c.hi;
  if (def.type === 'integer') {
    lo = c.loOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
    hi = c.hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
    if (lo > hi) return true;
    if (lo === hi && c.excluded.has(lo)) return true;
    return false;
  }
  if (lo > hi) return true;
  if (lo === hi) return c.loOpen || c.hiOpen || c.excluded.has(lo);
  return false;
}

function sortConditions(node: unknown): unknown {
  if (!isObj(node)) return node;
  for (const block of ['all', 'any']) {
    if (Array.isArray(node[block])) {
      const kids = (node[block] as unknown[]).map(sortConditions);
      kids.sort((a, b) => (canonicalJson(a) < canonicalJson(b) ? -1 : 1));
      return { [block]: kids };
    }
  }
  return node;
}
