/**
 * The words people read for the domain's codes, in both languages, wherever the server writes them (documents,
 * notifications). The predikat keeps its Indonesian name in English too: it is the regulation's term.
 */
import type { IndicatorKind, Predikat, Rating } from './enums.js';

export type LabelLang = 'id' | 'en';

export const RATING_LABELS: Record<Rating, Record<LabelLang, string>> = {
  DI_ATAS: { id: 'Di Atas Ekspektasi', en: 'Above expectations' },
  SESUAI: { id: 'Sesuai Ekspektasi', en: 'As expected' },
  DI_BAWAH: { id: 'Di Bawah Ekspektasi', en: 'Below expectations' },
};

export const PREDIKAT_LABELS: Record<Predikat, Record<LabelLang, string>> = {
  SANGAT_BAIK: { id: 'Sangat Baik', en: 'Sangat Baik (very good)' },
  BAIK: { id: 'Baik', en: 'Baik (good)' },
  BUTUH_PERBAIKAN: { id: 'Butuh Perbaikan', en: 'Butuh Perbaikan (needs improvement)' },
  KURANG: { id: 'Kurang', en: 'Kurang (poor)' },
  SANGAT_KURANG: { id: 'Sangat Kurang', en: 'Sangat Kurang (very poor)' },
};

export const INDICATOR_KIND_LABELS: Record<IndicatorKind, Record<LabelLang, string>> = {
  QUANTITY: { id: 'Kuantitas', en: 'Quantity' },
  QUALITY: { id: 'Kualitas', en: 'Quality' },
  TIME: { id: 'Waktu', en: 'Time' },
  COST: { id: 'Biaya', en: 'Cost' },
};

/** A rating inside an English sentence ("rated your report: above expectations"); Indonesian keeps its capitals. */
export const ratingInSentence = (r: Rating, lang: LabelLang) => (lang === 'en' ? RATING_LABELS[r].en.toLowerCase() : RATING_LABELS[r].id);
