import type { BerakhlakAspect, Rating } from '@kinerja/domain';
import { pointer } from '../../api/problem';
import { RadioGroup, TextField } from '../../components/ui';
import { useT } from '../../i18n';
import { supervisor } from './messages';

/** The seven BerAKHLAK aspects, in the order the dictionary (checked complete against the domain's list) names them. */
export const ASPECTS = Object.keys(supervisor.id.aspect) as BerakhlakAspect[];

export interface RatingsDraft {
  hasilKerja: Rating | null;
  perilaku: Partial<Record<BerakhlakAspect, Rating>>;
}
export const emptyRatings = (): RatingsDraft => ({ hasilKerja: null, perilaku: {} });

/** The ratings in the shape the API takes, or null while one is missing. */
export function completeRatings(d: RatingsDraft): { hasilKerja: Rating; perilaku: Record<BerakhlakAspect, Rating> } | null {
  if (!d.hasilKerja || ASPECTS.some((a) => !d.perilaku[a])) return null;
  return { hasilKerja: d.hasilKerja, perilaku: d.perilaku as Record<BerakhlakAspect, Rating> };
}

export function useRatingOptions() {
  const t = useT();
  return (Object.keys(t.rating) as Rating[]).map((id) => ({ id, label: t.rating[id] }));
}

/**
 * Hasil kerja and the seven aspects as radio groups (each named by its label), with an optional note per aspect.
 * A problem's field messages appear at their group (/hasilKerja, /perilaku/{aspect}, /aspectNotes/{aspect}).
 */
export function RatingsFields({
  value,
  onChange,
  problem,
  notes,
  onNotesChange,
}: {
  value: RatingsDraft;
  onChange: (v: RatingsDraft) => void;
  problem: unknown;
  notes?: Partial<Record<BerakhlakAspect, string>>;
  onNotesChange?: (n: Partial<Record<BerakhlakAspect, string>>) => void;
}) {
  const t = useT();
  const options = useRatingOptions();
  return (
    <div className="sv-inline">
      <RadioGroup
        label={t.supervisor.annual.hasilKerja}
        value={value.hasilKerja}
        onChange={(r) => onChange({ ...value, hasilKerja: r })}
        options={options}
        problem={problem}
        pointer={pointer('hasilKerja')}
      />
      <h3>{t.supervisor.annual.perilaku}</h3>
      <div className="sv-aspects">
        {ASPECTS.map((a) => (
          <div key={a} className="sv-aspect">
            <RadioGroup
              label={t.supervisor.aspect[a]}
              value={value.perilaku[a] ?? null}
              onChange={(r) => onChange({ ...value, perilaku: { ...value.perilaku, [a]: r } })}
              options={options}
              problem={problem}
              pointer={pointer('perilaku', a)}
            />
            {notes && onNotesChange ? (
              <TextField
                label={t.supervisor.annual.aspectNote(t.supervisor.aspect[a])}
                value={notes[a] ?? ''}
                onChange={(v) => onNotesChange({ ...notes, [a]: v })}
                problem={problem}
                pointer={pointer('aspectNotes', a)}
              />
            ) : null}
          </div>
        ))}
      </div>
    </div>
  );
}

/** The pointers RatingsFields shows next to a field (the rest go to the problem's list). */
export const ratingPointers = (withNotes: boolean) => [
  pointer('hasilKerja'),
  ...ASPECTS.map((a) => pointer('perilaku', a)),
  ...(withNotes ? ASPECTS.map((a) => pointer('aspectNotes', a)) : []),
];
