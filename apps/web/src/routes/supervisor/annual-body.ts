import type { AnnualRatingInput, BerakhlakAspect, Rating } from '@kinerja/domain';
import type { Lang } from '../../i18n/lang';
import { ASPECTS } from './ratings';

/** The body of the annual rating (and of its preview): trimmed notes, only the aspects with a note, nothing blank. */
export function annualRatingBody(
  ratings: { hasilKerja: Rating; perilaku: Record<BerakhlakAspect, Rating> },
  notes: string,
  aspectNotes: Partial<Record<BerakhlakAspect, string>>,
): AnnualRatingInput {
  const written = ASPECTS.flatMap((a) => {
    const note = aspectNotes[a]?.trim();
    return note ? [[a, note] as const] : [];
  });
  return {
    hasilKerja: ratings.hasilKerja,
    perilaku: ratings.perilaku,
    ...(notes.trim() ? { notes: notes.trim() } : {}),
    ...(written.length ? { aspectNotes: Object.fromEntries(written) } : {}),
  };
}

/** A rule set's reason in the reader's language: English where the rule carries it, else the Indonesian text. */
export const reasonIn = (reason: { id: string; en?: string | undefined }, lang: Lang): string => (lang === 'en' && reason.en ? reason.en : reason.id);

/** The ratings a preview answered for, so a changed choice shows the preview as out of date. */
export const ratingKey = (body: Pick<AnnualRatingInput, 'hasilKerja' | 'perilaku'>): string =>
  [body.hasilKerja, ...ASPECTS.map((a) => body.perilaku[a])].join('|');
