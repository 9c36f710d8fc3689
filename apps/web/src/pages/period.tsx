import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { api, ok } from '../api/client';
import { saveDownload } from '../api/files';
import { pointer } from '../api/problem';
import { evaluationQuery } from '../api/queries';
import { Alert, Badge, Countdown, PageHead, ProblemAlert } from '../components/basic';
import { Button, TextField } from '../components/ui';
import { useI18n } from '../i18n';
import { canReport, nextPeriodDeadline, periodReviews, periodsOf, periodTone, reportOf, reportTask, skpStatusOf } from '../lib/evaluation';
import { parseNumber } from '../lib/number';
import { formatDateTime, formatRange } from '../lib/time';

type ReportBody = Parameters<(typeof api.evaluations)[':id']['periods'][':period']['report']['$put']>[0]['json'];
type EvidenceItem = NonNullable<ReportBody['evidence']>[number];

export function PeriodPage() {
  const { t, locale } = useI18n();
  const { evaluationId, period: periodParam } = useParams({ from: '/app/year/$evaluationId/periods/$period' });
  const period = Number(periodParam);
  const qc = useQueryClient();
  const { data } = useSuspenseQuery(evaluationQuery(evaluationId));
  const now = Date.now();
  const view = periodsOf(data).find((p) => p.period === period);
  const report = reportOf(data, period);
  // newest first: the latest word of the supervisor is what to act on
  const reviews = periodReviews(data, period).reverse();
  const indicators = (data.evaluation.skp?.rhk ?? []).flatMap((r) => r.indicators.map((i) => ({ ...i, rhkTitle: r.title })));
  const approved = skpStatusOf(data) === 'APPROVED';
  const task = reportTask(data, period);
  const open = view ? canReport(view, approved, now, task) : false;

  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(indicators.map((i) => [i.id, String(report?.realisations?.find((r) => r.indicatorId === i.id)?.value ?? '')])),
  );
  const [evidence, setEvidence] = useState<EvidenceItem[]>(() => report?.evidence ?? []);
  const [note, setNote] = useState(report?.note ?? '');
  const [linkName, setLinkName] = useState('');
  const [linkUrl, setLinkUrl] = useState('');
  const [checked, setChecked] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const submit = useMutation({
    mutationFn: (body: ReportBody) =>
      ok(api.evaluations[':id'].periods[':period'].report.$put({ param: { id: evaluationId, period: String(period) }, json: body })),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: evaluationQuery(evaluationId).queryKey }), qc.invalidateQueries({ queryKey: ['me', 'tasks'] })]),
  });
  const upload = useMutation({
    mutationFn: (file: File) =>
      ok(api.evaluations[':id'].periods[':period'].evidence.$post({ param: { id: evaluationId, period: String(period) }, form: { file } })),
    onSuccess: (f) => setEvidence((list) => [...list, { kind: 'FILE', fileId: f.fileId, name: f.name }]),
  });
  const download = useMutation({
    mutationFn: (e: { fileId: string; name: string }) =>
      saveDownload(api.evaluations[':id'].evidence[':fileId'].$get({ param: { id: evaluationId, fileId: e.fileId } }), e.name),
  });

  if (!view) {
    return (
      <>
        <PageHead title={t.asn.period.title(String(period))} />
        <Alert tone="info">{t.asn.period.notYetOpen}</Alert>
      </>
    );
  }
  const label = view.label ?? String(period);
  const next = nextPeriodDeadline(view, now, task);
  const badValue = (id: string) => checked && parseNumber(values[id] ?? '') === null;
  const placed = [...indicators.map((_, i) => pointer('realisations', i, 'value')), pointer('note'), ...evidence.map((_, i) => pointer('evidence', i, 'url'))];

  const onSubmit = () => {
    setChecked(true);
    if (indicators.some((i) => parseNumber(values[i.id] ?? '') === null)) return;
    submit.mutate({
      realisations: indicators.map((i) => ({ indicatorId: i.id, value: parseNumber(values[i.id] ?? '') ?? 0 })),
      evidence,
      ...(note.trim() ? { note } : {}),
    });
  };
  const addLink = () => {
    if (!linkUrl.trim()) return;
    setEvidence((list) => [...list, { kind: 'LINK', name: linkName.trim() || linkUrl.trim(), url: linkUrl.trim() }]);
    setLinkName('');
    setLinkUrl('');
  };

  const stateNote =
    view.state === 'MISSING' ? (
      <Alert tone="bad">{t.asn.period.missing}</Alert>
    ) : view.state === 'NOT_APPLICABLE' ? (
      <Alert tone="info">{t.asn.period.notApplicable}</Alert>
    ) : !approved ? (
      <Alert tone="info">{t.asn.period.skpFirst}</Alert>
    ) : view.opensAt && Date.parse(view.opensAt) > now ? (
      <Alert tone="info">
        {t.asn.period.notYetOpen} {t.asn.year.opens(formatDateTime(view.opensAt, locale))}
      </Alert>
    ) : !open ? (
      <Alert tone="info">{t.asn.period.settled}</Alert>
    ) : next?.late ? (
      <Alert tone="warn">{t.asn.period.lateWarning}</Alert>
    ) : null;

  return (
    <>
      <PageHead title={t.asn.period.title(label)}>
        <div className="row">
          <Badge tone={periodTone(view, now)}>{t.asn.reportState[view.state]}</Badge>
          {view.late ? <Badge tone="bad">{t.asn.late}</Badge> : null}
          {view.revision ? <span className="muted small">{t.asn.period.revision(view.revision)}</span> : null}
        </div>
        {view.opensAt && view.endsAt ? <p className="muted small">{t.asn.period.dates(...formatRange(view.opensAt, view.endsAt, locale))}</p> : null}
      </PageHead>
      {stateNote}
      {open && next ? (
        <div className="card">
          <dl className="facts">
            {view.state === 'REVISION_REQUESTED' && task?.dueAt ? (
              <>
                <dt>{t.asn.period.revisionDue}</dt>
                <dd>{formatDateTime(task.dueAt, locale)}</dd>
              </>
            ) : null}
            {!(view.state === 'REVISION_REQUESTED' && task?.dueAt) && view.dueAt ? (
              <>
                <dt>{t.asn.period.dueAt}</dt>
                <dd>{formatDateTime(view.dueAt, locale)}</dd>
              </>
            ) : null}
            {!(view.state === 'REVISION_REQUESTED' && task?.dueAt) && view.cutoffAt ? (
              <>
                <dt>{t.asn.period.cutoffAt}</dt>
                <dd>{formatDateTime(view.cutoffAt, locale)}</dd>
              </>
            ) : null}
          </dl>
          <p>
            <Countdown dueAt={next.at} showDate={false} />
          </p>
        </div>
      ) : null}

      <section className="card" aria-labelledby="fb-h">
        <h2 id="fb-h">{t.asn.period.feedback}</h2>
        {reviews.length === 0 ? <p className="muted">{t.asn.period.feedbackEmpty}</p> : null}
        <ul className="list">
          {reviews.map((r) => (
            <li key={r.id}>
              <div className="row">
                <Badge tone={r.decision === 'REQUEST_REVISION' ? 'warn' : 'ok'}>
                  {r.decision === 'REQUEST_REVISION' ? t.asn.period.revisionAsked : r.hasilKerja ? t.rating[r.hasilKerja] : t.asn.period.rating}
                </Badge>
                <span className="muted small">{formatDateTime(r.createdAt, locale)}</span>
              </div>
              {r.feedback ? <p style={{ whiteSpace: 'pre-wrap' }}>{r.feedback}</p> : null}
            </li>
          ))}
        </ul>
      </section>

      <ProblemAlert error={submit.error} placed={placed} />
      {submit.isSuccess ? <Alert tone="ok">{t.asn.period.submitted}</Alert> : null}
      <form onSubmit={(e) => e.preventDefault()} noValidate>
        <section className="card" aria-labelledby="real-h">
          <h2 id="real-h">{t.asn.period.realisation}</h2>
          {indicators.map((i, idx) => (
            <TextField
              key={i.id}
              label={i.name}
              description={`${t.asn.period.targetOf(String(i.target), i.unit)} · ${t.indicatorKind[i.kind]} · ${i.rhkTitle}`}
              value={values[i.id] ?? ''}
              inputMode="decimal"
              onChange={(v) => setValues((all) => ({ ...all, [i.id]: v }))}
              isDisabled={!open}
              problem={submit.error}
              pointer={pointer('realisations', idx, 'value')}
              error={badValue(i.id) ? t.asn.skp.notNumber : undefined}
              isRequired
            />
          ))}
        </section>
        <section className="card" aria-labelledby="ev-h">
          <h2 id="ev-h">{t.asn.period.evidence}</h2>
          {evidence.length === 0 ? <p className="muted">{t.asn.period.evidenceEmpty}</p> : null}
          <ul className="list">
            {evidence.map((e, i) => (
              <li key={i} className="spread">
                <span style={{ overflowWrap: 'anywhere' }}>
                  {e.kind === 'LINK' ? (
                    <a href={e.url} target="_blank" rel="noreferrer noopener">
                      {e.name}
                    </a>
                  ) : (
                    <Button variant="ghost" onPress={() => download.mutate({ fileId: e.fileId, name: e.name })}>
                      <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
                        <path d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7L14 5.5a3.5 3.5 0 0 1 5 5L10.5 19a2 2 0 0 1-3-3L15 8.5" />
                      </svg>
                      {e.name}
                    </Button>
                  )}
                </span>
                {open ? (
                  <Button variant="ghost" onPress={() => setEvidence((list) => list.filter((_, j) => j !== i))}>
                    {t.asn.period.remove}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
          <ProblemAlert error={download.error} />
          {open ? (
            <>
              <div className="grid2" style={{ marginTop: 12 }}>
                <TextField label={t.asn.period.linkName} value={linkName} onChange={setLinkName} />
                <TextField
                  label={t.asn.period.linkUrl}
                  type="url"
                  inputMode="url"
                  value={linkUrl}
                  onChange={setLinkUrl}
                  problem={submit.error}
                  pointer={pointer('evidence', evidence.length, 'url')}
                />
              </div>
              <div className="row">
                <Button variant="secondary" onPress={addLink} isDisabled={!linkUrl.trim()}>
                  {t.asn.period.addLink}
                </Button>
                <Button variant="secondary" onPress={() => fileInput.current?.click()} isDisabled={upload.isPending}>
                  {upload.isPending ? t.asn.period.uploading : t.asn.period.uploadFile}
                </Button>
                <input
                  ref={fileInput}
                  type="file"
                  hidden
                  aria-label={t.asn.period.uploadFile}
                  accept=".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.odt,.ods,.txt,.csv"
                  onChange={(ev) => {
                    const f = ev.target.files?.[0];
                    if (f) upload.mutate(f);
                    ev.target.value = '';
                  }}
                />
              </div>
              <ProblemAlert error={upload.error} />
            </>
          ) : null}
        </section>
        <section className="card">
          <TextField label={t.asn.period.note} multiline value={note} onChange={setNote} isDisabled={!open} problem={submit.error} pointer={pointer('note')} />
          {open ? (
            <Button onPress={onSubmit} isDisabled={submit.isPending} block>
              {view.state === 'OPEN' ? t.asn.period.submit : t.asn.period.resubmit}
            </Button>
          ) : null}
        </section>
      </form>
      <p>
        <Link to="/year/$evaluationId" params={{ evaluationId }}>
          {t.app.back}
        </Link>
      </p>
    </>
  );
}
