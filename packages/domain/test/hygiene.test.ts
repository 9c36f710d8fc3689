import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AnnualRatingInput,
  AppealDecisionInput,
  AppealInput,
  AppealResponseInput,
  calendarDate,
  cleanJsonObject,
  cycleYearWindow,
  dateTime,
  idText,
  INVALID_CHARACTERS,
  jsonTextProblems,
  multilineText,
  PeriodReportInput,
  PeriodReviewInput,
  publicUrlProblem,
  SkpDraftInput,
  TargetDecisionInput,
  text,
  textProblem,
  yearWindowProblem,
} from '../src/index.js';

const codesOf = (r: z.ZodSafeParseResult<unknown>) =>
  r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}:${(i as { params?: { code?: string } }).params?.code ?? i.code}`);

describe('textProblem', () => {
  it('refuses NUL, other C0 controls, DEL and C1 in single-line text', () => {
    for (const c of ['\u0000', '\u0001', '\u0007', '\t', '\n', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f']) {
      expect(textProblem(`ab${c}cd`), JSON.stringify(c)).toEqual({ index: 2, codePoint: 'U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') });
    }
  });
  it('allows tab, LF and CR only in multi-line text', () => {
    expect(textProblem('a\tb\nc\r\nd', { multiline: true })).toBeNull();
    expect(textProblem('a\u000bb', { multiline: true })?.codePoint).toBe('U+000B');
    expect(textProblem('a\u0000b', { multiline: true })?.codePoint).toBe('U+0000');
  });
  it('refuses unpaired surrogates and accepts paired ones and ordinary Unicode', () => {
    expect(textProblem('emoji 😀, Jawa ꦲꦏ꧀ꦱꦫ, café, 中文')).toBeNull();
    expect(textProblem('x\ud83d')).toEqual({ index: 1, codePoint: 'U+D83D' });
    expect(textProblem('\ude00x')).toEqual({ index: 0, codePoint: 'U+DE00' });
    expect(textProblem('\ud83d\ud83d\ude00')).toEqual({ index: 0, codePoint: 'U+D83D' });
  });
});

describe('text schemas', () => {
  it('text trims, checks length and refuses control characters with an Indonesian message and an English one in params', () => {
    const s = text({ min: 3, max: 10 });
    expect(s.parse('  Budi  ')).toBe('Budi');
    const r = s.safeParse('Bu\u0000di');
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]! as { message: string; params?: Record<string, unknown> };
    expect(issue.message).toBe('tidak boleh berisi karakter kendali atau karakter Unicode yang tidak utuh: U+0000 pada posisi 3');
    expect(issue.params).toMatchObject({
      code: INVALID_CHARACTERS,
      codePoint: 'U+0000',
      messageEn: 'must not contain control characters or broken Unicode: U+0000 at position 3',
    });
    expect(codesOf(s.safeParse('ab'))).toEqual([':too_small']);
    expect(codesOf(s.safeParse('a'.repeat(11)))).toEqual([':too_big']);
    expect(s.safeParse('a\tb').success).toBe(false);
  });
  it('multilineText keeps newlines and tabs', () => {
    expect(multilineText({ max: 20 }).parse(' baris 1\n\tbaris 2 ')).toBe('baris 1\n\tbaris 2');
    expect(codesOf(multilineText({ max: 20 }).safeParse('a\u007fb'))).toEqual([`:${INVALID_CHARACTERS}`]);
  });
  it('idText does not trim and refuses empty ids', () => {
    expect(idText().parse(' id ')).toBe(' id ');
    expect(idText().safeParse('').success).toBe(false);
    expect(idText(5).safeParse('abcdef').success).toBe(false);
    expect(codesOf(idText().safeParse('a\u0000'))).toEqual([`:${INVALID_CHARACTERS}`]);
  });
});

describe('jsonTextProblems', () => {
  it('names every refused string and key by pointer, escaping ~ and /', () => {
    const doc = { ok: 'baris\nbaru\ttab', rules: [{ name: 'a\u0000' }, { 'k/\u0001~': 1 }], deep: { x: ['ok', '\ud800'] } };
    expect(jsonTextProblems(doc).map((p) => [p.pointer, p.path, p.code])).toEqual([
      ['/rules/0/name', ['rules', 0, 'name'], INVALID_CHARACTERS],
      ['/rules/1/k~1\u0001~0', ['rules', 1, 'k/\u0001~'], INVALID_CHARACTERS],
      ['/deep/x/1', ['deep', 'x', 1], INVALID_CHARACTERS],
    ]);
    expect(jsonTextProblems(doc)[1]!.message).toMatch(/^nama kolom /);
    expect(jsonTextProblems({ a: 1, b: [true, null, 'x'] })).toEqual([]);
    expect(jsonTextProblems('\u0000')).toMatchObject([{ pointer: '' }]);
  });
  it('walks a document nested 100,000 deep without overflowing the stack, and stops at the limit', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = { a: [deep] };
    const [p] = jsonTextProblems(deep);
    expect(p!.path).toHaveLength(200_000);
    expect(
      jsonTextProblems(
        Array.from({ length: 500 }, () => '\u0000'),
        10,
      ),
    ).toHaveLength(10);
  });
  it('cleanJsonObject reports each problem at its own path', () => {
    const r = cleanJsonObject().safeParse({ a: { b: 'x\u0000' }, c: 'ok' });
    expect(codesOf(r)).toEqual([`a.b:${INVALID_CHARACTERS}`]);
  });
});

describe('publicUrlProblem', () => {
  it.each([
    'https://drive.example.go.id/bukti.pdf',
    'http://example.com:8080/a?b=c#d',
    'https://[2001:db8::1]/x',
    'https://8.8.8.8/',
    'https://172.32.0.1/',
    'https://192.169.1.1/',
  ])('accepts %s', (u) => {
    expect(publicUrlProblem(u)).toBeNull();
  });
  it.each([
    ['javascript:alert(1)', 'url_scheme'],
    ['JavaScript:alert(1)', 'url_scheme'],
    ['data:text/html,<script>alert(1)</script>', 'url_scheme'],
    ['vbscript:msgbox(1)', 'url_scheme'],
    ['file:///etc/passwd', 'url_scheme'],
    ['ftp://example.com/x', 'url_scheme'],
    ['java\tscript:alert(1)', INVALID_CHARACTERS],
    ['bukan url', 'invalid_url'],
    ['https://user:pw@example.com/', 'url_credentials'],
    ['http://localhost/', 'url_host'],
    ['http://LOCALHOST./', 'url_host'],
    ['http://app.localhost/', 'url_host'],
    ['http://printer.local/', 'url_host'],
    ['http://metadata.google.internal/', 'url_host'],
    ['http://127.0.0.1/', 'url_host'],
    ['http://127.1/', 'url_host'],
    ['http://2130706433/', 'url_host'],
    ['http://0x7f.0.0.1/', 'url_host'],
    ['http://0.0.0.0/', 'url_host'],
    ['http://10.1.2.3/', 'url_host'],
    ['http://172.16.0.1/', 'url_host'],
    ['http://172.31.255.255/', 'url_host'],
    ['http://192.168.1.1/', 'url_host'],
    ['http://169.254.169.254/latest/meta-data', 'url_host'],
    ['http://[::1]/', 'url_host'],
    ['http://[::]/', 'url_host'],
    ['http://[::ffff:127.0.0.1]/', 'url_host'],
    ['http://[::ffff:10.0.0.1]/', 'url_host'],
    ['http://[fc00::1]/', 'url_host'],
    ['http://[fd12:3456::1]/', 'url_host'],
    ['http://[fe80::1]/', 'url_host'],
  ])('refuses %s (%s)', (u, code) => {
    const p = publicUrlProblem(u);
    expect(p?.code).toBe(code);
  });
  it('names the field in the message', () => {
    expect(publicUrlProblem('javascript:alert(1)')!.id).toBe('url hanya boleh memakai https: atau http: (diterima: javascript:)');
    expect(publicUrlProblem('http://127.0.0.1/', 'tautan')!.en).toMatch(/^tautan must point to a public host/);
  });
});

describe('dates', () => {
  it('dateTime keeps instants within 2000..2100 by default, or a given window', () => {
    expect(dateTime().safeParse('2025-03-01T00:00:00+07:00').success).toBe(true);
    expect(codesOf(dateTime().safeParse('0001-01-01T00:00:00Z'))).toEqual([':out_of_range']);
    expect(codesOf(dateTime().safeParse('9999-12-31T23:59:59Z'))).toEqual([':out_of_range']);
    expect(dateTime().safeParse('kemarin').success).toBe(false);
    expect(dateTime(cycleYearWindow(2025)).safeParse('2026-12-31T00:00:00Z').success).toBe(true);
    expect(codesOf(dateTime(cycleYearWindow(2025)).safeParse('2027-01-01T00:00:00Z'))).toEqual([':out_of_range']);
  });
  it('calendarDate needs a real date within the window', () => {
    expect(calendarDate().safeParse('2025-02-28').success).toBe(true);
    expect(codesOf(calendarDate().safeParse('2025-02-30'))).toEqual([':invalid_date']);
    expect(codesOf(calendarDate().safeParse('1999-12-31'))).toEqual([':out_of_range']);
    expect(yearWindowProblem(new Date('2101-01-01T00:00:00Z'))?.id).toBe('tahun harus antara 2000 dan 2100 (diterima: 2101)');
  });
});

describe('every string of every domain input schema refuses NUL', () => {
  const skp = { rhk: [{ title: 'RHK satu', parentRhkId: 'rhk-1', indicators: [{ name: 'Dokumen', kind: 'QUANTITY', target: 1, unit: 'dok' }] }] };
  const perilaku = {
    BERORIENTASI_PELAYANAN: 'SESUAI',
    AKUNTABEL: 'SESUAI',
    KOMPETEN: 'SESUAI',
    HARMONIS: 'SESUAI',
    LOYAL: 'SESUAI',
    ADAPTIF: 'SESUAI',
    KOLABORATIF: 'SESUAI',
  };
  const cases: [string, z.ZodType, unknown][] = [
    ['SkpDraftInput', SkpDraftInput, skp],
    ['TargetDecisionInput APPROVE', TargetDecisionInput, { decision: 'APPROVE', note: 'baik' }],
    ['TargetDecisionInput RETURN', TargetDecisionInput, { decision: 'RETURN', note: 'perbaiki' }],
    [
      'PeriodReportInput',
      PeriodReportInput,
      {
        realisations: [{ indicatorId: 'ind-1', value: 1 }],
        evidence: [{ kind: 'LINK', name: 'Foto', url: 'https://example.com/a', mimeType: 'image/png' }],
        note: 'catatan',
      },
    ],
    ['PeriodReviewInput RATE', PeriodReviewInput, { decision: 'RATE', rating: 'SESUAI', feedback: 'bagus' }],
    ['PeriodReviewInput REQUEST_REVISION', PeriodReviewInput, { decision: 'REQUEST_REVISION', feedback: 'lengkapi' }],
    [
      'AnnualRatingInput',
      AnnualRatingInput,
      { hasilKerja: 'SESUAI', perilaku, notes: 'catatan', aspectNotes: Object.fromEntries(Object.keys(perilaku).map((k) => [k, 'catatan aspek'])) },
    ],
    ['AppealInput', AppealInput, { reasons: 'alasan keberatan panjang' }],
    ['AppealResponseInput', AppealResponseInput, { response: 'tanggapan' }],
    ['AppealDecisionInput UPHOLD', AppealDecisionInput, { decision: 'UPHOLD', reasons: 'alasan' }],
    ['AppealDecisionInput REVISE', AppealDecisionInput, { decision: 'REVISE', reasons: 'alasan', hasilKerja: 'SESUAI', perilaku }],
  ];

  /** paths of string leaves whose value is free text (enum values refuse NUL by being enums) */
  function stringLeaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (typeof v === 'string') return [path];
    if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, [...path, i]));
    if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringLeaves(x, [...path, k]));
    return [];
  }
  const withNul = (v: unknown, path: (string | number)[]): unknown => {
    const copy = structuredClone(v) as Record<string | number, unknown>;
    let cur = copy;
    for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    cur[last] = `${String(cur[last]).slice(0, 1)}\u0000${String(cur[last]).slice(1)}`;
    return copy;
  };

  it.each(cases)('%s', (_name, schema, valid) => {
    expect(schema.safeParse(valid).success).toBe(true);
    const leaves = stringLeaves(valid);
    expect(leaves.length).toBeGreaterThan(0);
    for (const path of leaves) {
      const r = schema.safeParse(withNul(valid, path));
      expect(r.success, path.join('.')).toBe(false);
      expect(
        r.error!.issues.map((i) => i.path.join('.')),
        path.join('.'),
      ).toContain(path.join('.'));
    }
  });

  it('evidence links: refused schemes and hosts name /evidence/i/url', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'http://127.0.0.1/x', 'http://[::1]/']) {
      const r = PeriodReportInput.safeParse({ realisations: [{ indicatorId: 'i', value: 1 }], evidence: [{ kind: 'LINK', name: 'x', url }] });
      expect(r.success, url).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['evidence.0.url']);
    }
  });
});
