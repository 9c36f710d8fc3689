import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { pointer } from '../api/problem';
import { evaluationQuery, type EvaluationDetail } from '../api/queries';
import { Alert, Badge, Countdown, PageHead, ProblemAlert } from '../components/basic';
import { ConfirmDialog } from '../components/dialog';
import { TextField } from '../components/ui';
import { Documents } from '../components/documents';
import { useI18n } from '../i18n';
import { scoreOf } from '../lib/evaluation';
import { daysLeft, formatDateTime } from '../lib/time';

const APPEAL_MIN = 10;

/** The result: predikat, score and the rule set's reasons; the keberatan with its days left and its progress. */
export function ResultPage() {
  const { t, locale } = useI18n();
  const { evaluationId } = useParams({ from: '/app/year/$evaluationId/result' });
  const qc = useQueryClient();
  const { data } = useSuspenseQuery(evaluationQuery(evaluationId));
  const [reasons, setReasons] = useState('');
  const [checked, setChecked] = useState(false);
  const file = useMutation({
    mutationFn: () => ok(api.evaluations[':id'].appeal.$post({ param: { id: evaluationId }, json: { reasons } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: evaluationQuery(evaluationId).queryKey }),
  });

  const wf = data.workflow;
  const e = data.evaluation;
  const score = scoreOf(e.scores);
  const result = wf?.result;
  const predikat = result?.predikat ?? score?.predikat;
  const numeric = result?.numericScore ?? score?.numericScore;
  const hasilKerja = result?.hasilKerja ?? score?.hasilKerja;
  const perilaku = result?.perilaku ?? score?.perilaku;
  const flags = result?.flags ?? score?.flags ?? [];
  const phase = wf?.phase ?? e.phase;
  const now = Date.now();
  const windowOpen = phase === 'APPEAL_WINDOW' && !!wf?.appealDeadline && Date.parse(wf.appealDeadline) > now && !e.appeal && !wf.appeal;
  const appealStatus = wf?.appeal?.status ?? e.appeal?.status;
  const tooShort = checked && reasons.trim().length < APPEAL_MIN;

  return (
    <>
      <PageHead title={t.asn.result.title} intro={e.cycle.name} />
      {!predikat ? (
        <Alert tone="info">{t.asn.result.none}</Alert>
      ) : (
        <section className="card" aria-labelledby="pred-h">
          <h2 id="pred-h" className="muted small">
            {t.asn.result.predikat}
          </h2>
          <p className="predikat">{t.predikat[predikat]}</p>
          <div className="row">
            {numeric !== undefined ? (
              <span className="score">
                {t.asn.result.score}: {numeric.toLocaleString(locale, { maximumFractionDigits: 2 })}
              </span>
            ) : null}
            <Badge tone={result?.final || phase === 'FINAL' ? 'ok' : 'warn'}>
              {result?.final || phase === 'FINAL' ? t.asn.result.final : t.asn.result.provisional}
            </Badge>
          </div>
          <dl className="facts" style={{ marginTop: 12 }}>
            {hasilKerja ? (
              <>
                <dt>{t.asn.result.hasilKerja}</dt>
                <dd>{t.rating[hasilKerja]}</dd>
              </>
            ) : null}
            {perilaku ? (
              <>
                <dt>{t.asn.result.perilaku}</dt>
                <dd>{t.rating[perilaku]}</dd>
              </>
            ) : null}
          </dl>
          {result?.reasons.length ? (
            <>
              <h3 style={{ marginTop: 16 }}>{t.asn.result.reasons}</h3>
              <ul>
                {result.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </>
          ) : null}
          {flags.length ? (
            <>
              <h3>{t.asn.result.flags}</h3>
              <div className="row">
                {flags.map((f) => (
                  <Badge key={f} tone="info">
                    {t.asn.result.flag[f]}
                  </Badge>
                ))}
              </div>
            </>
          ) : null}
        </section>
      )}
      <AnnualRating data={data} locale={locale} />

      <section className="card" aria-labelledby="appeal-h">
        <h2 id="appeal-h">{t.asn.result.appeal}</h2>
        {appealStatus ? (
          <AppealProgress data={data} locale={locale} />
        ) : windowOpen && wf?.appealDeadline ? (
          <>
            <p>{t.asn.result.appealIntro}</p>
            <p>
              <strong>{t.asn.result.daysLeft(daysLeft(wf.appealDeadline, now))}</strong> · <Countdown dueAt={wf.appealDeadline} />
            </p>
            <ProblemAlert error={file.error} placed={[pointer('reasons')]} />
            {file.isSuccess ? <Alert tone="ok">{t.asn.result.filed}</Alert> : null}
            <TextField
              label={t.asn.result.reasonsLabel}
              description={t.asn.result.reasonsHelp}
              multiline
              value={reasons}
              onChange={setReasons}
              problem={file.error}
              pointer={pointer('reasons')}
              error={tooShort ? t.asn.result.reasonsHelp : undefined}
              isRequired
            />
            <ConfirmDialog
              triggerLabel={t.asn.result.file}
              title={t.asn.result.confirmFile}
              confirmLabel={t.asn.result.file}
              isDisabled={file.isPending}
              onConfirm={() => {
                setChecked(true);
                if (reasons.trim().length >= APPEAL_MIN) file.mutate();
              }}
            >
              <p>{t.asn.result.confirmFileBody}</p>
            </ConfirmDialog>
          </>
        ) : predikat && (phase === 'FINAL' || phase === 'CLOSED') ? (
          <p className="muted">{t.asn.result.windowClosed}</p>
        ) : (
          <p className="muted">{t.asn.result.appealIntro}</p>
        )}
      </section>
      <Documents evaluationId={evaluationId} phase={phase} />
      <p>
        <Link to="/year/$evaluationId" params={{ evaluationId }}>
          {t.app.back}
        </Link>
      </p>
    </>
  );
}

function AppealProgress({ data, locale }: { data: EvaluationDetail; locale: string }) {
  const { t } = useI18n();
  const a = data.evaluation.appeal;
  const live = data.workflow?.appeal;
  const status = live?.status ?? a?.status ?? 'FILED';
  const responded = live?.responded ?? !!a?.supervisorResponse;
  const steps = [
    { key: 'FILED', label: t.asn.result.step.FILED, done: true },
    { key: 'RESPONSE_REQUESTED', label: t.asn.result.step.RESPONSE_REQUESTED, done: status === 'RESPONSE_REQUESTED' || responded },
    { key: 'RESPONDED', label: t.asn.result.step.RESPONDED, done: responded },
    { key: 'DECIDED', label: t.asn.result.step.DECIDED, done: status === 'DECIDED' },
  ];
  const decision = live?.decision ?? a?.decision ?? null;
  return (
    <>
      <h3>{t.asn.result.progress}</h3>
      <ol className="timeline">
        {steps.map((s) => (
          <li key={s.key}>
            <span className="mark" data-tone={s.done ? 'ok' : 'neutral'} aria-hidden="true" />
            <span style={{ fontWeight: s.done ? 700 : 400 }}>{s.label}</span>
          </li>
        ))}
      </ol>
      {decision === 'UPHOLD' || decision === 'REVISE' || decision === 'LAPSED' ? (
        <Alert tone="info" title={t.asn.result.decision[decision]}>
          {a?.decisionReasons ? <p style={{ whiteSpace: 'pre-wrap' }}>{a.decisionReasons}</p> : null}
        </Alert>
      ) : null}
      {status !== 'DECIDED' && live?.deadline ? <p>{t.asn.result.decisionBy(formatDateTime(live.deadline, locale))}</p> : null}
      {a?.reasons ? (
        <>
          <h3>{t.asn.result.yourReasons}</h3>
          <p style={{ whiteSpace: 'pre-wrap' }}>{a.reasons}</p>
        </>
      ) : null}
    </>
  );
}

/** The pejabat penilai's annual rating as recorded: hasil kerja, each BerAKHLAK aspect, the notes. */
function AnnualRating({ data, locale }: { data: EvaluationDetail; locale: string }) {
  const { t } = useI18n();
  const annual = data.evaluation.reviews.filter((r) => r.kind === 'ANNUAL').at(-1);
  if (!annual) return null;
  const aspects = Object.keys(t.supervisor.aspect) as (keyof typeof t.supervisor.aspect)[];
  return (
    <section className="card" aria-labelledby="annual-h">
      <h2 id="annual-h">{t.asn.result.annual}</h2>
      <p className="muted small">{formatDateTime(annual.createdAt, locale)}</p>
      <table className="plain">
        <tbody>
          {annual.hasilKerja ? (
            <tr>
              <th scope="row">{t.asn.result.hasilKerja}</th>
              <td>{t.rating[annual.hasilKerja]}</td>
            </tr>
          ) : null}
          {annual.perilaku
            ? aspects.map((a) => (
                <tr key={a}>
                  <th scope="row">{t.supervisor.aspect[a]}</th>
                  <td>{annual.perilaku ? t.rating[annual.perilaku[a]] : null}</td>
                </tr>
              ))
            : null}
        </tbody>
      </table>
      {annual.feedback ? <p style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{annual.feedback}</p> : null}
    </section>
  );
}
