import type { Rating } from '@kinerja/domain';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { saveDownload } from '../../api/files';
import { pointer } from '../../api/problem';
import type { EvaluationDetail } from '../../api/queries';
import { Alert, Badge, Countdown, ProblemAlert } from '../../components/basic';
import { Button, RadioGroup, TextField } from '../../components/ui';
import { useI18n } from '../../i18n';
import { periodReviews, periodsOf, periodTone, reportOf, type PeriodView } from '../../lib/evaluation';
import { formatDateTime, formatRange } from '../../lib/time';
import { useCommand } from './command';
import { useRatingOptions } from './ratings';
import type { Standing } from './standing';

type ReviewBody = Parameters<(typeof api.evaluations)[':id']['periods'][':period']['review']['$post']>[0]['json'];

/** Every period of the year: its report as the ASN sent it, earlier reviews, and the review form while one waits. */
export function PeriodsSection({ data, standing }: { data: EvaluationDetail; standing: Standing }) {
  const { t } = useI18n();
  const periods = periodsOf(data);
  if (periods.length === 0) return null;
  return (
    <section aria-labelledby="sv-periods-h">
      <h2 id="sv-periods-h" style={{ margin: '20px 0 12px' }}>
        {t.supervisor.period.title}
      </h2>
      {periods.map((p) => (
        <PeriodCard key={p.period} data={data} view={p} standing={standing} />
      ))}
    </section>
  );
}

function PeriodCard({ data, view, standing }: { data: EvaluationDetail; view: PeriodView; standing: Standing }) {
  const { t, locale } = useI18n();
  const id = data.evaluation.id;
  const now = Date.now();
  const label = view.label ?? String(view.period);
  const report = reportOf(data, view.period);
  const reviews = periodReviews(data, view.period);
  const phase = data.workflow?.phase ?? data.evaluation.phase;
  const canReview = phase === 'PERIODIC' && view.state === 'SUBMITTED' && standing.may('REVIEW_PERIOD', view.period);
  const future = !!view.opensAt && Date.parse(view.opensAt) > now;
  const headingId = `sv-period-${view.period}-h`;
  const hasReport = !!report?.realisations?.length;
  // held here, not in the form: the form goes once the period is reviewed, the confirmation stays
  const review = useCommand(id, (json: ReviewBody) =>
    ok(api.evaluations[':id'].periods[':period'].review.$post({ param: { id, period: String(view.period) }, json })),
  );

  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="spread">
        <h3 id={headingId}>{t.supervisor.period.heading(label)}</h3>
        <span className="row">
          {view.late ? <Badge tone="bad">{t.asn.late}</Badge> : null}
          <Badge tone={periodTone(view, now)}>{t.asn.reportState[view.state]}</Badge>
          {view.rating ? <Badge tone="ok">{t.rating[view.rating]}</Badge> : null}
        </span>
      </div>
      {view.opensAt && view.endsAt ? <p className="muted small">{t.asn.period.dates(...formatRange(view.opensAt, view.endsAt, locale))}</p> : null}
      {future && view.opensAt ? <p className="muted small">{t.asn.year.opens(formatDateTime(view.opensAt, locale))}</p> : null}
      {view.submittedAt ? <p className="muted small">{t.supervisor.period.submittedAt(formatDateTime(view.submittedAt, locale))}</p> : null}
      {view.state === 'SUBMITTED' && view.reviewDueAt ? (
        <p className="small">
          {t.supervisor.period.reviewDue}: <Countdown dueAt={view.reviewDueAt} />
        </p>
      ) : null}
      {canReview ? (
        <>
          <ReportView data={data} period={view.period} />
          <Reviews data={data} period={view.period} />
        </>
      ) : hasReport || reviews.length ? (
        <details className="sv-details">
          <summary>{t.supervisor.period.showReport}</summary>
          {hasReport ? <ReportView data={data} period={view.period} /> : null}
          <Reviews data={data} period={view.period} />
        </details>
      ) : !future && view.state !== 'NOT_APPLICABLE' ? (
        <p className="muted">{t.supervisor.period.notSubmitted}</p>
      ) : null}
      {review.isSuccess ? <Alert tone="ok">{review.variables.decision === 'RATE' ? t.supervisor.period.rated : t.supervisor.period.revisionSent}</Alert> : null}
      {/* outside the form: a refused review refetches the period, and the form may be gone with it */}
      <ProblemAlert error={review.error} placed={canReview ? [pointer('rating'), pointer('feedback')] : []} />
      {canReview ? <ReviewForm review={review} /> : null}
    </section>
  );
}

/** The supervisor's earlier reviews of the period (a revision asked, the rating), oldest first. */
function Reviews({ data, period }: { data: EvaluationDetail; period: number }) {
  const { t, locale } = useI18n();
  const reviews = periodReviews(data, period);
  if (reviews.length === 0) return null;
  return (
    <>
      <h4>{t.supervisor.period.reviews}</h4>
      <ul className="list">
        {reviews.map((r) => (
          <li key={r.id} className="sv-quote">
            <div className="row">
              <Badge tone={r.decision === 'REQUEST_REVISION' ? 'warn' : 'ok'}>
                {r.decision === 'REQUEST_REVISION' ? t.supervisor.period.revisionAsked : r.hasilKerja ? t.rating[r.hasilKerja] : t.supervisor.period.rating}
              </Badge>
              <span className="muted small">{formatDateTime(r.createdAt, locale)}</span>
            </div>
            {r.feedback ? <p className="sv-pre">{r.feedback}</p> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The report's realisation against each indicator's target, the evidence and the ASN's note. */
function ReportView({ data, period }: { data: EvaluationDetail; period: number }) {
  const { t, locale } = useI18n();
  const id = data.evaluation.id;
  const report = reportOf(data, period);
  const download = useMutation({
    mutationFn: (f: { fileId: string; name: string }) =>
      saveDownload(api.evaluations[':id'].evidence[':fileId'].$get({ param: { id, fileId: f.fileId } }), f.name),
  });
  if (!report) return null;
  const indicators = (data.evaluation.skp?.rhk ?? []).flatMap((r) => r.indicators);
  const evidence = report.evidence ?? [];
  return (
    <div className="stack" style={{ marginTop: 8 }}>
      <table className="sv-table">
        <thead>
          <tr>
            <th scope="col">{t.supervisor.skp.indicator}</th>
            <th scope="col" className="num">
              {t.supervisor.period.realisation}
            </th>
          </tr>
        </thead>
        <tbody>
          {(report.realisations ?? []).map((r) => {
            const ind = indicators.find((i) => i.id === r.indicatorId);
            return (
              <tr key={r.indicatorId}>
                <td>
                  {ind?.name ?? r.indicatorId}
                  {ind ? <div className="muted small">{t.supervisor.period.targetOf(ind.target.toLocaleString(locale), ind.unit)}</div> : null}
                </td>
                <td className="num">
                  {r.value.toLocaleString(locale)} {ind?.unit ?? ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div>
        <h4>{t.supervisor.period.evidence}</h4>
        {evidence.length === 0 ? <p className="muted small">{t.supervisor.period.noEvidence}</p> : null}
        <ul className="list">
          {evidence.map((e, i) => (
            <li key={i} style={{ overflowWrap: 'anywhere' }}>
              {e.kind === 'LINK' ? (
                <a href={e.url} target="_blank" rel="noreferrer noopener">
                  {e.name}
                </a>
              ) : (
                <Button variant="ghost" onPress={() => download.mutate({ fileId: e.fileId, name: e.name })}>
                  📎 {e.name}
                </Button>
              )}
            </li>
          ))}
        </ul>
        <ProblemAlert error={download.error} />
      </div>
      {report.note ? (
        <div>
          <h4>{t.supervisor.period.note}</h4>
          <p className="sv-pre">{report.note}</p>
        </div>
      ) : null}
    </div>
  );
}

/** Rate the period with feedback, or ask for a revision (feedback says what to change). */
function ReviewForm({ review }: { review: ReturnType<typeof useCommand<ReviewBody>> }) {
  const { t } = useI18n();
  const options = useRatingOptions();
  const [rating, setRating] = useState<Rating | null>(null);
  const [feedback, setFeedback] = useState('');
  const [checked, setChecked] = useState<'RATE' | 'REQUEST_REVISION' | null>(null);
  const text = feedback.trim();
  const feedbackMissing = checked !== null && text.length < 3;
  const ratingMissing = checked === 'RATE' && !rating;

  const send = (decision: 'RATE' | 'REQUEST_REVISION') => {
    setChecked(decision);
    if (text.length < 3) return;
    if (decision === 'RATE') {
      if (!rating) return;
      review.mutate({ decision, rating, feedback: text });
    } else review.mutate({ decision, feedback: text });
  };

  return (
    <form className="stack" style={{ marginTop: 16 }} onSubmit={(e) => e.preventDefault()} noValidate>
      <div className="sv-inline">
        <RadioGroup
          label={t.supervisor.period.rating}
          value={rating}
          onChange={setRating}
          options={options}
          problem={review.error}
          pointer={pointer('rating')}
        />
      </div>
      {ratingMissing ? (
        <p className="error" role="alert" style={{ color: 'var(--bad)', fontWeight: 600 }}>
          {t.supervisor.period.ratingRequired}
        </p>
      ) : null}
      <TextField
        label={t.supervisor.period.feedback}
        description={t.supervisor.period.feedbackHelp}
        multiline
        value={feedback}
        onChange={setFeedback}
        problem={review.error}
        pointer={pointer('feedback')}
        error={feedbackMissing ? t.supervisor.period.feedbackRequired : undefined}
        isRequired
      />
      <div className="sv-actions">
        <Button onPress={() => send('RATE')} isDisabled={review.isPending}>
          {t.supervisor.period.rate}
        </Button>
        <Button variant="secondary" onPress={() => send('REQUEST_REVISION')} isDisabled={review.isPending}>
          {t.supervisor.period.askRevision}
        </Button>
      </div>
    </form>
  );
}
