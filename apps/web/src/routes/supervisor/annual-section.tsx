import type { BerakhlakAspect, Rating } from '@kinerja/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { pointer } from '../../api/problem';
import type { EvaluationDetail } from '../../api/queries';
import { Alert, Badge, ProblemAlert } from '../../components/basic';
import { ConfirmDialog } from '../../components/dialog';
import { Button, TextField } from '../../components/ui';
import { useI18n } from '../../i18n';
import { periodsOf, scoreOf } from '../../lib/evaluation';
import { annualRatingBody, ratingKey, reasonIn } from './annual-body';
import { useCommand } from './command';
import { ASPECTS, completeRatings, emptyRatings, ratingPointers, RatingsFields, type RatingsDraft } from './ratings';
import type { Standing } from './standing';

type RatingBody = Parameters<(typeof api.evaluations)[':id']['annual-rating']['$post']>[0]['json'];

/** The phases before the annual rating opens. */
const BEFORE_RATING = new Set(['TARGET_SETTING', 'PERIODIC']);

/**
 * The annual rating: what the year's periods say, the form (hasil kerja and the seven BerAKHLAK aspects with notes)
 * behind a confirmation, and once given, the rule set's result with its reasons.
 */
export function AnnualSection({ data, standing }: { data: EvaluationDetail; standing: Standing }) {
  const { t, locale } = useI18n();
  const id = data.evaluation.id;
  const phase = data.workflow?.phase ?? data.evaluation.phase;
  const result = data.workflow?.result;
  const score = scoreOf(data.evaluation.scores);
  const given = data.evaluation.reviews.filter((r) => r.kind === 'ANNUAL').at(-1);
  const canRate = phase === 'ANNUAL_RATING' && !result && !given && standing.may('ANNUAL_RATING');
  const [draft, setDraft] = useState<RatingsDraft>(emptyRatings);
  const [aspectNotes, setAspectNotes] = useState<Partial<Record<BerakhlakAspect, string>>>({});
  const [notes, setNotes] = useState('');
  const rate = useCommand(id, (json: RatingBody) => ok(api.evaluations[':id']['annual-rating'].$post({ param: { id }, json })));
  const complete = completeRatings(draft);

  const send = () => {
    if (complete) rate.mutate(annualRatingBody(complete, notes, aspectNotes));
  };
  // the rule set's answer for the current choices, asked for by the supervisor; it writes nothing
  const preview = useMutation({ mutationFn: (json: RatingBody) => previewOf(id, json) });
  const [previewFor, setPreviewFor] = useState<string | null>(null);
  const askPreview = () => {
    if (!complete) return;
    const body = annualRatingBody(complete, notes, aspectNotes);
    preview.mutate(body, { onSuccess: () => setPreviewFor(ratingKey(body)) });
  };
  const suggestion = preview.data && complete && previewFor === ratingKey(complete) ? preview.data : null;

  const predikat = result?.predikat ?? score?.predikat;
  const numeric = result?.numericScore ?? score?.numericScore;
  const flags = result?.flags ?? score?.flags ?? [];
  const isFinal = result?.final ?? (phase === 'FINAL' || phase === 'CLOSED');

  return (
    <section className="card" aria-labelledby="sv-annual-h">
      <h2 id="sv-annual-h">{t.supervisor.annual.title}</h2>
      {BEFORE_RATING.has(phase) ? <p className="muted">{t.supervisor.annual.notYet}</p> : null}
      {rate.isSuccess ? <Alert tone="ok">{t.supervisor.annual.sent}</Alert> : null}
      <ProblemAlert error={rate.error} placed={canRate ? [...ratingPointers(true), pointer('notes')] : []} />
      {predikat ? (
        <div className="stack" aria-labelledby="sv-result-h">
          <h3 id="sv-result-h">{t.supervisor.annual.result}</h3>
          <div className="row">
            <span className="predikat" style={{ fontSize: '1.5rem' }}>
              {t.predikat[predikat]}
            </span>
            <Badge tone={isFinal ? 'ok' : 'warn'}>{isFinal ? t.supervisor.annual.final : t.supervisor.annual.provisional}</Badge>
          </div>
          {numeric !== undefined ? (
            <p>
              {t.supervisor.annual.score}: <strong>{numeric.toLocaleString(locale, { maximumFractionDigits: 2 })}</strong>
            </p>
          ) : null}
          {result?.reasons.length ? (
            <>
              <h4>{t.supervisor.annual.reasons}</h4>
              <ul>
                {result.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </>
          ) : null}
          {flags.length ? (
            <div className="row">
              <span className="muted small">{t.supervisor.annual.flags}:</span>
              {flags.map((f) => (
                <Badge key={f} tone="info">
                  {t.asn.result.flag[f]}
                </Badge>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
      {given ? <GivenRating hasilKerja={given.hasilKerja} perilaku={given.perilaku} feedback={given.feedback} /> : null}
      {canRate ? (
        <form className="stack" onSubmit={(e) => e.preventDefault()} noValidate>
          <p>{t.supervisor.annual.intro}</p>
          <Basis data={data} />
          <RatingsFields value={draft} onChange={setDraft} problem={rate.error} notes={aspectNotes} onNotesChange={setAspectNotes} />
          <TextField
            label={t.supervisor.annual.notes}
            description={t.supervisor.annual.notesHelp}
            multiline
            value={notes}
            onChange={setNotes}
            problem={rate.error}
            pointer={pointer('notes')}
          />
          <RulePreview
            suggestion={suggestion}
            stale={!!preview.data && !suggestion}
            canAsk={!!complete}
            pending={preview.isPending}
            error={preview.error}
            onAsk={askPreview}
          />
          <div className="sv-actions">
            <ConfirmDialog
              triggerLabel={t.supervisor.annual.send}
              title={t.supervisor.annual.confirmTitle}
              confirmLabel={t.supervisor.annual.confirm}
              onConfirm={send}
              isDisabled={rate.isPending || !complete}
            >
              <p>{t.supervisor.annual.confirmBody}</p>
              {complete ? <RatingSummary hasilKerja={complete.hasilKerja} perilaku={complete.perilaku} /> : null}
              {suggestion ? (
                <p>
                  {t.supervisor.annual.preview.inDialog}: <strong>{t.predikat[suggestion.predikat]}</strong> · {t.supervisor.annual.score}{' '}
                  {suggestion.numericScore.toLocaleString(locale, { maximumFractionDigits: 2 })}
                </p>
              ) : null}
              <p className="muted small">{t.supervisor.annual.ruleSetNote}</p>
            </ConfirmDialog>
          </div>
          {!complete ? <p className="muted small">{t.supervisor.annual.pickAll}</p> : null}
        </form>
      ) : null}
    </section>
  );
}

type Preview = Awaited<ReturnType<typeof previewOf>>;
const previewOf = (id: string, json: RatingBody) => ok(api.evaluations[':id']['annual-rating'].preview.$post({ param: { id }, json }));

/**
 * The rule set's suggestion for the current choices: predikat, score, ratings, flags and reasons, before the
 * confirmation. A choice changed since the last answer shows it as out of date rather than as the current answer.
 */
function RulePreview({
  suggestion,
  stale,
  canAsk,
  pending,
  error,
  onAsk,
}: {
  suggestion: Preview | null;
  stale: boolean;
  canAsk: boolean;
  pending: boolean;
  error: unknown;
  onAsk: () => void;
}) {
  const { t, lang, locale } = useI18n();
  const m = t.supervisor.annual.preview;
  return (
    <section className="stack" aria-labelledby="sv-preview-h">
      <h3 id="sv-preview-h">{m.title}</h3>
      <p className="muted small">{canAsk ? m.help : m.pickAll}</p>
      <div className="row">
        <Button variant="secondary" onPress={onAsk} isDisabled={!canAsk || pending}>
          {m.ask}
        </Button>
      </div>
      <ProblemAlert error={error} />
      <div aria-live="polite" className="stack">
        {pending ? <p className="muted small">{m.asking}</p> : null}
        {stale && !pending ? <p className="muted small">{m.stale}</p> : null}
        {suggestion && !pending ? (
          <>
            <div className="row">
              <span className="muted small">{t.supervisor.annual.predikat}:</span>
              <span className="predikat" style={{ fontSize: '1.25rem' }}>
                {t.predikat[suggestion.predikat]}
              </span>
            </div>
            <dl className="facts">
              <dt>{t.supervisor.annual.score}</dt>
              <dd>{suggestion.numericScore.toLocaleString(locale, { maximumFractionDigits: 2 })}</dd>
              <dt>{t.supervisor.annual.hasilKerja}</dt>
              <dd>{t.rating[suggestion.hasilKerja]}</dd>
              <dt>{t.supervisor.annual.perilaku}</dt>
              <dd>{t.rating[suggestion.perilaku]}</dd>
            </dl>
            {suggestion.suggestedHasilKerja ? <p>{m.suggested(t.rating[suggestion.suggestedHasilKerja])}</p> : null}
            {suggestion.flags.length ? (
              <div className="row">
                <span className="muted small">{t.supervisor.annual.flags}:</span>
                {suggestion.flags.map((f) => (
                  <Badge key={f} tone="info">
                    {t.asn.result.flag[f]}
                  </Badge>
                ))}
              </div>
            ) : null}
            {suggestion.reasons.length ? (
              <>
                <h4>{t.supervisor.annual.reasons}</h4>
                <ul>
                  {suggestion.reasons.map((r, i) => (
                    <li key={i}>{reasonIn(r, lang)}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : null}
      </div>
    </section>
  );
}

/** What the year's periods say before the rating: each period's rating, and how many reports were late or missing. */
function Basis({ data }: { data: EvaluationDetail }) {
  const { t } = useI18n();
  const periods = periodsOf(data);
  const rated = periods.filter((p) => p.rating);
  const late = periods.filter((p) => p.late).length;
  const missing = periods.filter((p) => p.state === 'MISSING').length;
  return (
    <div className="alert" data-tone="info" role="note" aria-labelledby="sv-basis-h">
      <strong id="sv-basis-h">{t.supervisor.annual.basis}</strong>
      {rated.length ? (
        <>
          <p>{t.supervisor.annual.basisIntro}</p>
          <ul>
            {rated.map((p) => (
              <li key={p.period}>
                {p.label ?? p.period}: {p.rating ? t.rating[p.rating] : ''}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t.supervisor.annual.noPeriodRatings}</p>
      )}
      {late || missing ? (
        <p>{[late ? t.supervisor.annual.lateCount(late) : '', missing ? t.supervisor.annual.missingCount(missing) : ''].filter(Boolean).join(' · ')}</p>
      ) : null}
      <p className="small">{t.supervisor.annual.ruleSetNote}</p>
    </div>
  );
}

/** Hasil kerja and the seven aspects as a definition list. */
export function RatingSummary({ hasilKerja, perilaku }: { hasilKerja: Rating; perilaku: Partial<Record<BerakhlakAspect, Rating>> | null }) {
  const { t } = useI18n();
  return (
    <dl className="facts">
      <dt>{t.supervisor.annual.hasilKerja}</dt>
      <dd>{t.rating[hasilKerja]}</dd>
      {perilaku
        ? ASPECTS.map((a) =>
            perilaku[a] ? (
              <div key={a} style={{ display: 'contents' }}>
                <dt>{t.supervisor.aspect[a]}</dt>
                <dd>{t.rating[perilaku[a]]}</dd>
              </div>
            ) : null,
          )
        : null}
    </dl>
  );
}

function GivenRating({
  hasilKerja,
  perilaku,
  feedback,
}: {
  hasilKerja: Rating | null;
  perilaku: Partial<Record<BerakhlakAspect, Rating>> | null;
  feedback: string | null;
}) {
  const { t } = useI18n();
  if (!hasilKerja) return null;
  return (
    <details className="sv-details">
      <summary>{t.supervisor.annual.given}</summary>
      <RatingSummary hasilKerja={hasilKerja} perilaku={perilaku} />
      {feedback ? <p className="sv-pre">{feedback}</p> : null}
    </details>
  );
}
