import type { BerakhlakAspect, Rating } from '@kinerja/domain';
import { describe, expect, it } from 'vitest';
import { annualRatingBody, ratingKey, reasonIn } from '../src/routes/supervisor/annual-body';
import { ASPECTS } from '../src/routes/supervisor/ratings';

const perilaku = Object.fromEntries(ASPECTS.map((a) => [a, 'SESUAI'])) as Record<BerakhlakAspect, Rating>;

describe('the annual rating body', () => {
  it('sends only the aspects with a note, trimmed, and no blank notes', () => {
    const body = annualRatingBody({ hasilKerja: 'DI_ATAS', perilaku }, '  ', { KOMPETEN: '  Menguasai aturan ', LOYAL: '   ' });
    expect(body).toEqual({ hasilKerja: 'DI_ATAS', perilaku, aspectNotes: { KOMPETEN: 'Menguasai aturan' } });
  });

  it('leaves aspectNotes out when no aspect has a note and keeps the overall note', () => {
    expect(annualRatingBody({ hasilKerja: 'SESUAI', perilaku }, ' Baik ', {})).toEqual({ hasilKerja: 'SESUAI', perilaku, notes: 'Baik' });
  });

  it('a preview is out of date once a rating changes, not when only notes change', () => {
    const a = annualRatingBody({ hasilKerja: 'SESUAI', perilaku }, 'x', {});
    const b = annualRatingBody({ hasilKerja: 'SESUAI', perilaku }, 'y', { ADAPTIF: 'z' });
    const c = annualRatingBody({ hasilKerja: 'SESUAI', perilaku: { ...perilaku, ADAPTIF: 'DI_ATAS' } }, 'x', {});
    expect(ratingKey(a)).toBe(ratingKey(b));
    expect(ratingKey(a)).not.toBe(ratingKey(c));
  });

  it('a reason reads in English only where the rule carries it', () => {
    expect(reasonIn({ id: 'Capaian tinggi', en: 'High capaian' }, 'en')).toBe('High capaian');
    expect(reasonIn({ id: 'Capaian tinggi', en: 'High capaian' }, 'id')).toBe('Capaian tinggi');
    expect(reasonIn({ id: 'Predikat Baik' }, 'en')).toBe('Predikat Baik');
  });
});
