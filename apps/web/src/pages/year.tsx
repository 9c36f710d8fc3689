import { useSuspenseQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { evaluationQuery } from '../api/queries';
import { Alert, Badge, Countdown, PageHead, type Tone } from '../components/basic';
import { Documents } from '../components/documents';
import { useI18n } from '../i18n';
import { nextPeriodDeadline, periodsOf, periodTone, reportTask, scoreOf, skpStatusOf, supportedRhkTitle } from '../lib/evaluation';
import { formatDateTime, formatRange } from '../lib/time';

const SKP_TONE: Record<ReturnType<typeof skpStatusOf>, Tone> = { DRAFT: 'info', SUBMITTED: 'info', RETURNED: 'warn', APPROVED: 'ok' };

/** The ASN's year as a timeline: the SKP, each period, the result. */
export function YearPage() {
  const { t, locale } = useI18n();
  const { evaluationId } = useParams({ from: '/app/year/$evaluationId' });
  const { data } = useSuspenseQuery(evaluationQuery(evaluationId));
  const e = data.evaluation;
  const wf = data.workflow;
  const now = Date.now();
  const skpStatus = skpStatusOf(data);
  const periods = periodsOf(data);
  const result = wf?.result ?? null;
  const annual = scoreOf(e.scores);
  const predikat = result?.predikat ?? annual?.predikat ?? null;
  const phase = wf?.phase ?? e.phase;
  return (
    <>
      <PageHead title={e.cycle.name}>
        <div className="row">
          <span className="muted">{t.asn.year.phaseNow}:</span>
          <Badge tone="info">{t.phase[phase]}</Badge>
        </div>
      </PageHead>
      {data.workflowError ? <Alert tone="warn">{t.asn.year.workflowUnavailable}</Alert> : null}
      {wf?.closedReason ? <Alert tone="warn">{t.asn.year.closed(wf.closedReason)}</Alert> : null}
      <ol className="timeline">
        <li>
          <span className="mark" data-tone={SKP_TONE[skpStatus]} aria-hidden="true" />
          <Link to="/year/$evaluationId/skp" params={{ evaluationId }} className="item card">
            <div className="spread">
              <h2>{t.asn.year.skp}</h2>
              <Badge tone={SKP_TONE[skpStatus]}>{t.asn.skpStatus[skpStatus]}</Badge>
            </div>
            {skpStatus !== 'APPROVED' && wf?.targetDeadline ? (
              <p>
                <Countdown dueAt={wf.targetDeadline} />
              </p>
            ) : null}
            {e.skp && e.skp.rhk.length > 0 ? (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {e.skp.rhk.map((r) => {
                  const parent = supportedRhkTitle(data.superiorRhk, r.parentRhkId);
                  return (
                    <li key={r.id}>
                      {r.title}
                      <br />
                      <span className="muted">{parent === null ? t.asn.skp.parentNone : t.asn.skp.supports(parent ?? t.asn.skp.parentUnknown)}</span>
                    </li>
                  );
                })}
              </ul>
            ) : null}
            {e.skp?.status === 'RETURNED' && e.skp.returnNote ? (
              <p>
                <strong>{t.asn.skp.returnNote}:</strong> {e.skp.returnNote}
              </p>
            ) : null}
          </Link>
        </li>
        {periods.map((p) => {
          const tone = periodTone(p, now);
          const future = !!p.opensAt && Date.parse(p.opensAt) > now;
          const next = !future && (p.state === 'OPEN' || p.state === 'REVISION_REQUESTED') ? nextPeriodDeadline(p, now, reportTask(data, p.period)) : null;
          const label = p.label ?? String(p.period);
          return (
            <li key={p.period}>
              <span className="mark" data-tone={tone} aria-hidden="true" />
              <Link to="/year/$evaluationId/periods/$period" params={{ evaluationId, period: String(p.period) }} className="item card">
                <div className="spread">
                  <h3>{label}</h3>
                  <div className="row">
                    {p.late ? <Badge tone="bad">{t.asn.late}</Badge> : null}
                    <Badge tone={tone}>{t.asn.reportState[p.state]}</Badge>
                  </div>
                </div>
                {p.opensAt && p.endsAt ? <p className="muted small">{t.asn.period.dates(...formatRange(p.opensAt, p.endsAt, locale))}</p> : null}
                {future && p.opensAt ? <p className="muted">{t.asn.year.opens(formatDateTime(p.opensAt, locale))}</p> : null}
                {p.rating ? <p>{t.rating[p.rating]}</p> : null}
                {next ? (
                  <p>
                    <Countdown dueAt={next.at} />
                  </p>
                ) : null}
              </Link>
            </li>
          );
        })}
        <li>
          <span className="mark" data-tone={predikat ? 'ok' : 'neutral'} aria-hidden="true" />
          <Link to="/year/$evaluationId/result" params={{ evaluationId }} className="item card">
            <div className="spread">
              <h2>{t.asn.year.result}</h2>
              {predikat ? <Badge tone="ok">{t.predikat[predikat]}</Badge> : null}
            </div>
            {wf?.appealDeadline && phase === 'APPEAL_WINDOW' ? (
              <p>
                {t.asn.result.appeal}: <Countdown dueAt={wf.appealDeadline} />
              </p>
            ) : null}
          </Link>
        </li>
      </ol>
      <Documents evaluationId={evaluationId} phase={phase} />
    </>
  );
}
