import { describe, expect, it } from 'vitest';
import {
  AnnualRatingInput,
  Calendar,
  DEMO_CALENDAR,
  NATIONAL_CALENDAR,
  Nip,
  PeriodReviewInput,
  SkpDraftInput,
  TargetDecisionInput,
  durationMs,
  negotiateLang,
  nipProblem,
  parseDuration,
} from '../src/index.js';

describe('NIP', () => {
  it('accepts an 18-digit NIP with a real birth date, appointment and sex digit', () => {
    expect(nipProblem('198503152010011002')).toBeNull();
    expect(Nip.safeParse('199001012015032001').success).toBe(true);
  });
  it.each([
    ['19850315201001100', 'NIP harus 18 digit angka'],
    ['19850315201001100X', 'NIP harus 18 digit angka'],
    ['198502302010011002', 'tanggal lahir dalam NIP tidak valid'],
    ['198503151990011002', 'TMT pengangkatan dalam NIP tidak valid'],
    ['198503152010131002', 'TMT pengangkatan dalam NIP tidak valid'],
    ['198503152010013002', 'digit jenis kelamin dalam NIP harus 1 atau 2'],
  ])('rejects %s: %s', (nip, message) => {
    expect(nipProblem(nip)).toBe(message);
  });
});

describe('durations and calendars', () => {
  it('parses unit suffixes', () => {
    expect(parseDuration('14d')).toBe(14 * 86_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('14 days')).toBeNull();
    expect(() => durationMs('soon')).toThrow(RangeError);
  });
  it('accepts the shipped calendars and rejects unknown keys and malformed durations', () => {
    expect(Calendar.parse(NATIONAL_CALENDAR)).toEqual(NATIONAL_CALENDAR);
    expect(Calendar.parse(DEMO_CALENDAR)).toEqual(DEMO_CALENDAR);
    const bad = Calendar.safeParse({ ...NATIONAL_CALENDAR, appealWindow: 'two weeks', extra: 1 });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('appealWindow');
    expect(bad.error!.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
  });
  it('keeps the national appeal window at 14 days (PP 30/2019)', () => {
    expect(durationMs(NATIONAL_CALENDAR.appealWindow)).toBe(14 * 86_400_000);
  });
});

describe('input schemas', () => {
  const skp = {
    rhk: [{ title: 'Layanan administrasi kependudukan', indicators: [{ name: 'Dokumen selesai', kind: 'QUANTITY', target: 120, unit: 'dokumen' }] }],
  };
  it('accepts a minimal SKP and rejects unknown fields and negative targets with a path', () => {
    expect(SkpDraftInput.safeParse(skp).success).toBe(true);
    const r = SkpDraftInput.safeParse({ rhk: [{ ...skp.rhk[0], indicators: [{ ...skp.rhk[0]!.indicators[0], target: -1 }] }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['rhk', 0, 'indicators', 0, 'target']);
    expect(SkpDraftInput.safeParse({ ...skp, surprise: true }).success).toBe(false);
  });
  it('requires a note when targets are returned, not when approved', () => {
    expect(TargetDecisionInput.safeParse({ decision: 'APPROVE' }).success).toBe(true);
    expect(TargetDecisionInput.safeParse({ decision: 'RETURN' }).success).toBe(false);
    expect(TargetDecisionInput.safeParse({ decision: 'RETURN', note: 'Target terlalu rendah' }).success).toBe(true);
  });
  it('requires a rating only when a period is rated', () => {
    expect(PeriodReviewInput.safeParse({ decision: 'RATE', feedback: 'Bagus' }).success).toBe(false);
    expect(PeriodReviewInput.safeParse({ decision: 'REQUEST_REVISION', feedback: 'Lampirkan bukti' }).success).toBe(true);
  });
  it('requires all seven BerAKHLAK aspects in an annual rating', () => {
    const perilaku = {
      BERORIENTASI_PELAYANAN: 'SESUAI',
      AKUNTABEL: 'SESUAI',
      KOMPETEN: 'SESUAI',
      HARMONIS: 'SESUAI',
      LOYAL: 'SESUAI',
      ADAPTIF: 'SESUAI',
      KOLABORATIF: 'SESUAI',
    };
    expect(AnnualRatingInput.safeParse({ hasilKerja: 'SESUAI', perilaku }).success).toBe(true);
    const { LOYAL: _omit, ...six } = perilaku;
    const r = AnnualRatingInput.safeParse({ hasilKerja: 'SESUAI', perilaku: six });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['perilaku', 'LOYAL']);
  });
});

describe('Accept-Language negotiation', () => {
  it.each([
    [undefined, 'id'],
    ['en-US,en;q=0.9', 'en'],
    ['id-ID,en;q=0.5', 'id'],
    ['en;q=0.4,id;q=0.8', 'id'],
    ['fr-FR,en;q=0.7', 'en'],
    ['fr-FR', 'id'],
  ])('%s → %s', (header, lang) => {
    expect(negotiateLang(header)).toBe(lang);
  });
});
