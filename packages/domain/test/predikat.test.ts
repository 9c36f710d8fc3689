import { describe, expect, it } from 'vitest';
import {
  BERAKHLAK_ASPECTS,
  capaian,
  checkDistribution,
  overallPerilaku,
  predikatFor,
  ratingFromCapaian,
  type BerakhlakAspect,
  type Predikat,
  type Rating,
} from '../src/index.js';

describe('PermenPANRB 6/2022 predikat matrix', () => {
  // Written out from the regulation's table (domain.md), row by row, not derived from the implementation.
  const table: [Rating, Rating, Predikat][] = [
    ['DI_ATAS', 'DI_BAWAH', 'KURANG'],
    ['DI_ATAS', 'SESUAI', 'BAIK'],
    ['DI_ATAS', 'DI_ATAS', 'SANGAT_BAIK'],
    ['SESUAI', 'DI_BAWAH', 'KURANG'],
    ['SESUAI', 'SESUAI', 'BAIK'],
    ['SESUAI', 'DI_ATAS', 'BAIK'],
    ['DI_BAWAH', 'DI_BAWAH', 'SANGAT_KURANG'],
    ['DI_BAWAH', 'SESUAI', 'BUTUH_PERBAIKAN'],
    ['DI_BAWAH', 'DI_ATAS', 'BUTUH_PERBAIKAN'],
  ];
  it.each(table)('hasil kerja %s, perilaku %s → %s', (hk, pk, expected) => {
    expect(predikatFor(hk, pk)).toBe(expected);
  });
});

describe('overall perilaku from the seven BerAKHLAK aspects', () => {
  const all = (r: Rating) => Object.fromEntries(BERAKHLAK_ASPECTS.map((a) => [a, r])) as Record<BerakhlakAspect, Rating>;
  it('is the common rating when all aspects agree', () => {
    expect(overallPerilaku(all('DI_ATAS'))).toBe('DI_ATAS');
    expect(overallPerilaku(all('SESUAI'))).toBe('SESUAI');
    expect(overallPerilaku(all('DI_BAWAH'))).toBe('DI_BAWAH');
  });
  it('is not above expectation when any aspect is below, even with a majority above', () => {
    const r = { ...all('DI_ATAS'), LOYAL: 'DI_BAWAH' as const };
    expect(overallPerilaku(r)).toBe('SESUAI');
  });
  it('is above expectation with four of seven above and none below', () => {
    const r = { ...all('SESUAI'), AKUNTABEL: 'DI_ATAS' as const, KOMPETEN: 'DI_ATAS' as const, HARMONIS: 'DI_ATAS' as const, LOYAL: 'DI_ATAS' as const };
    expect(overallPerilaku(r)).toBe('DI_ATAS');
  });
  it('needs a majority below to be below expectation', () => {
    const three = { ...all('SESUAI'), AKUNTABEL: 'DI_BAWAH' as const, KOMPETEN: 'DI_BAWAH' as const, HARMONIS: 'DI_BAWAH' as const };
    expect(overallPerilaku(three)).toBe('SESUAI');
    expect(overallPerilaku({ ...three, LOYAL: 'DI_BAWAH' })).toBe('DI_BAWAH');
  });
});

describe('capaian', () => {
  it('is realisation over target for quantity and quality', () => {
    expect(capaian('QUANTITY', 200, 150)).toBe(75);
    expect(capaian('QUALITY', 80, 88)).toBeCloseTo(110);
  });
  it('rewards smaller values for time and cost', () => {
    expect(capaian('TIME', 10, 5)).toBe(200);
    expect(capaian('TIME', 10, 20)).toBe(50);
    expect(capaian('COST', 100, 100)).toBe(100);
  });
  it('maps to a suggested hasil kerja rating', () => {
    expect(ratingFromCapaian(120)).toBe('DI_ATAS');
    expect(ratingFromCapaian(100)).toBe('SESUAI');
    expect(ratingFromCapaian(89.9)).toBe('DI_BAWAH');
  });
});

describe('unit distribution (SE MenPANRB 03/2023)', () => {
  const staff = (counts: Partial<Record<Predikat, number>>): Predikat[] =>
    Object.entries(counts).flatMap(([p, n]) => Array.from({ length: n }, () => p as Predikat));
  const codes = (unit: Parameters<typeof checkDistribution>[0], s: Predikat[]) => checkDistribution(unit, s).map((v) => v.code);

  it('Istimewa allows at most 70% Sangat Baik', () => {
    expect(codes('ISTIMEWA', staff({ SANGAT_BAIK: 7, BAIK: 3 }))).toEqual([]);
    expect(codes('ISTIMEWA', staff({ SANGAT_BAIK: 8, BAIK: 2 }))).toEqual(['SANGAT_BAIK_MAX']);
  });
  it('Baik caps Baik at 70% and requires some Butuh Perbaikan or Kurang', () => {
    expect(codes('BAIK', staff({ BAIK: 7, SANGAT_BAIK: 2, BUTUH_PERBAIKAN: 1 }))).toEqual([]);
    expect(codes('BAIK', staff({ BAIK: 8, SANGAT_BAIK: 2 }))).toEqual(['BAIK_MAX', 'BUTUH_PERBAIKAN_OR_KURANG_EXISTS']);
  });
  it('Butuh Perbaikan needs at least 60% Butuh Perbaikan and at most 10% Sangat Baik', () => {
    expect(codes('BUTUH_PERBAIKAN', staff({ BUTUH_PERBAIKAN: 6, BAIK: 3, SANGAT_BAIK: 1 }))).toEqual([]);
    expect(codes('BUTUH_PERBAIKAN', staff({ BUTUH_PERBAIKAN: 5, BAIK: 3, SANGAT_BAIK: 2 }))).toEqual(['BUTUH_PERBAIKAN_MIN', 'SANGAT_BAIK_MAX']);
  });
  it('Kurang needs 60% Kurang and 10% Butuh Perbaikan', () => {
    expect(codes('KURANG', staff({ KURANG: 6, BUTUH_PERBAIKAN: 1, BAIK: 3 }))).toEqual([]);
    expect(codes('KURANG', staff({ KURANG: 7, BAIK: 3 }))).toEqual(['BUTUH_PERBAIKAN_MIN']);
  });
  it('Sangat Kurang needs 60% Sangat Kurang, 10% Kurang/Butuh Perbaikan and no Sangat Baik', () => {
    expect(codes('SANGAT_KURANG', staff({ SANGAT_KURANG: 6, KURANG: 1, BAIK: 3 }))).toEqual([]);
    expect(codes('SANGAT_KURANG', staff({ SANGAT_KURANG: 6, BAIK: 3, SANGAT_BAIK: 1 }))).toEqual(['KURANG_OR_BUTUH_PERBAIKAN_MIN', 'SANGAT_BAIK_NONE']);
  });
  it('an empty unit has nothing to violate', () => {
    expect(checkDistribution('BAIK', [])).toEqual([]);
  });
});
