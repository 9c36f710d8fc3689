import { useState } from 'react';
import { api, ok } from '../../api/client';
import { pointer } from '../../api/problem';
import type { EvaluationDetail } from '../../api/queries';
import { Alert, Badge, Countdown, ProblemAlert } from '../../components/basic';
import { ConfirmDialog } from '../../components/dialog';
import { Button, RadioGroup, TextField } from '../../components/ui';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/time';
import { RatingSummary } from './annual-section';
import { useCommand } from './command';
import { completeRatings, emptyRatings, ratingPointers, RatingsFields, type RatingsDraft } from './ratings';
import type { Standing } from './standing';

type ResponseBody = Parameters<(typeof api.evaluations)[':id']['appeal']['response']['$post']>[0]['json'];
type DecisionBody = Parameters<(typeof api.evaluations)[':id']['appeal']['decision']['$post']>[0]['json'];
type Outcome = 'UPHOLD' | 'REVISE' | 'LAPSED';
const isOutcome = (d: string | null | undefined): d is Outcome => d === 'UPHOLD' || d === 'REVISE' || d === 'LAPSED';

/**
 * The keberatan: the ASN's reasons, the rater's response and the decision. The atasan pejabat penilai asks the
 * rater to respond and decides (uphold, or revise with new ratings); the rater answers when asked.
 */
export function AppealSection({ data, standing }: { data: EvaluationDetail; standing: Standing }) {
  const { t, locale } = useI18n();
  const id = data.evaluation.id;
  const a = data.evaluation.appeal;
  const live = data.workflow?.appeal;
  const phase = data.workflow?.phase ?? data.evaluation.phase;
  const request = useCommand(id, () => ok(api.evaluations[':id'].appeal['request-response'].$post({ param: { id } })));
  // held here, not in the forms: a refused command refetches the keberatan, and its form may be gone with it
  const respond = useCommand(id, (json: ResponseBody) => ok(api.evaluations[':id'].appeal.response.$post({ param: { id }, json })));
  const decide = useCommand(id, (json: DecisionBody) => ok(api.evaluations[':id'].appeal.decision.$post({ param: { id }, json })));
  if (!a && !live) return null;
  const status = live?.status ?? a?.status ?? 'FILED';
  const responded = live?.responded ?? !!a?.supervisorResponse;
  const decision = live?.decision ?? a?.decision ?? null;
  const open = phase === 'APPEAL' && status !== 'DECIDED';
  const hasRater = (data.workflow?.supervisorId ?? data.evaluation.supervisorId) !== null;
  const canRespond = open && status === 'RESPONSE_REQUESTED' && !responded && standing.may('RESPOND_APPEAL');
  const canDecide = open && standing.may('DECIDE_APPEAL');
  const decisionReview = data.evaluation.reviews.filter((r) => r.kind === 'APPEAL_DECISION').at(-1);

  return (
    <section className="card stack" aria-labelledby="sv-appeal-h">
      <div className="spread">
        <h2 id="sv-appeal-h">{t.supervisor.appeal.title}</h2>
        <Badge tone={status === 'DECIDED' ? 'ok' : 'warn'}>{t.supervisor.appeal.status[status]}</Badge>
      </div>
      {a ? (
        <div>
          <h3>{t.supervisor.appeal.reasons}</h3>
          <p className="muted small">{t.supervisor.appeal.filedAt(formatDateTime(a.filedAt, locale))}</p>
          <blockquote className="sv-quote sv-pre">{a.reasons}</blockquote>
        </div>
      ) : null}
      {open && live?.deadline ? (
        <p className="small">
          {t.supervisor.appeal.deadline(formatDateTime(live.deadline, locale))} · <Countdown dueAt={live.deadline} showDate={false} />
        </p>
      ) : null}
      <div>
        <h3>{t.supervisor.appeal.response}</h3>
        {a?.supervisorResponse ? (
          <blockquote className="sv-quote sv-pre">{a.supervisorResponse}</blockquote>
        ) : (
          <p className="muted">{t.supervisor.appeal.noResponse}</p>
        )}
      </div>
      {isOutcome(decision) ? (
        <Alert tone="info" title={t.supervisor.appeal.outcome[decision]}>
          {a?.decisionReasons ? <p className="sv-pre">{a.decisionReasons}</p> : null}
          {decision === 'REVISE' && decisionReview?.hasilKerja ? (
            <RatingSummary hasilKerja={decisionReview.hasilKerja} perilaku={decisionReview.perilaku} />
          ) : null}
        </Alert>
      ) : null}

      {request.isSuccess ? <Alert tone="ok">{t.supervisor.appeal.requested}</Alert> : null}
      {respond.isSuccess ? <Alert tone="ok">{t.supervisor.appeal.responded}</Alert> : null}
      {decide.isSuccess ? <Alert tone="ok">{t.supervisor.appeal.decided}</Alert> : null}
      <ProblemAlert error={request.error} />
      {open && standing.reviewer && status === 'FILED' && hasRater ? (
        <div className="sv-actions">
          <Button variant="secondary" onPress={() => request.mutate(undefined)} isDisabled={request.isPending}>
            {t.supervisor.appeal.requestResponse}
          </Button>
        </div>
      ) : null}
      {canRespond ? <RespondForm respond={respond} /> : <ProblemAlert error={respond.error} />}
      {canDecide ? <DecideForm decide={decide} /> : <ProblemAlert error={decide.error} />}
    </section>
  );
}

function RespondForm({ respond }: { respond: ReturnType<typeof useCommand<ResponseBody>> }) {
  const { t } = useI18n();
  const [response, setResponse] = useState('');
  const [checked, setChecked] = useState(false);
  const tooShort = checked && response.trim().length < 3;
  return (
    <form className="stack" onSubmit={(e) => e.preventDefault()} noValidate aria-labelledby="sv-respond-h">
      <h3 id="sv-respond-h">{t.supervisor.appeal.respondTitle}</h3>
      <p>{t.supervisor.appeal.respondIntro}</p>
      <ProblemAlert error={respond.error} placed={[pointer('response')]} />
      <TextField
        label={t.supervisor.appeal.respondLabel}
        description={t.supervisor.appeal.respondHelp}
        multiline
        value={response}
        onChange={setResponse}
        problem={respond.error}
        pointer={pointer('response')}
        error={tooShort ? t.supervisor.appeal.respondHelp : undefined}
        isRequired
      />
      <div className="sv-actions">
        <Button
          onPress={() => {
            setChecked(true);
            if (response.trim().length >= 3) respond.mutate({ response: response.trim() });
          }}
          isDisabled={respond.isPending}
        >
          {t.supervisor.appeal.respond}
        </Button>
      </div>
    </form>
  );
}

function DecideForm({ decide }: { decide: ReturnType<typeof useCommand<DecisionBody>> }) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<'UPHOLD' | 'REVISE' | null>(null);
  const [reasons, setReasons] = useState('');
  const [draft, setDraft] = useState<RatingsDraft>(emptyRatings);
  const text = reasons.trim();
  const ratings = completeRatings(draft);
  const ready = choice === 'UPHOLD' ? text.length >= 3 : choice === 'REVISE' ? text.length >= 3 && ratings !== null : false;

  const send = () => {
    if (choice === 'UPHOLD' && text.length >= 3) decide.mutate({ decision: 'UPHOLD', reasons: text });
    else if (choice === 'REVISE' && ratings && text.length >= 3) decide.mutate({ decision: 'REVISE', reasons: text, ...ratings });
  };

  return (
    <form className="stack" onSubmit={(e) => e.preventDefault()} noValidate aria-labelledby="sv-decide-h">
      <h3 id="sv-decide-h">{t.supervisor.appeal.decideTitle}</h3>
      <ProblemAlert error={decide.error} placed={[pointer('decision'), pointer('reasons'), ...ratingPointers(false)]} />
      <RadioGroup
        label={t.supervisor.appeal.decision}
        value={choice}
        onChange={setChoice}
        options={[
          { id: 'UPHOLD', label: t.supervisor.appeal.uphold },
          { id: 'REVISE', label: t.supervisor.appeal.revise },
        ]}
        problem={decide.error}
        pointer={pointer('decision')}
      />
      {choice === 'REVISE' ? (
        <fieldset className="stack" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend>
            <strong>{t.supervisor.appeal.newRatings}</strong>
          </legend>
          <RatingsFields value={draft} onChange={setDraft} problem={decide.error} />
        </fieldset>
      ) : null}
      <TextField
        label={t.supervisor.appeal.decisionReasons}
        description={t.supervisor.appeal.decisionReasonsHelp}
        multiline
        value={reasons}
        onChange={setReasons}
        problem={decide.error}
        pointer={pointer('reasons')}
        isRequired
      />
      <div className="sv-actions">
        <ConfirmDialog
          triggerLabel={t.supervisor.appeal.decide}
          title={t.supervisor.appeal.confirmTitle}
          confirmLabel={t.supervisor.appeal.confirm}
          onConfirm={send}
          isDisabled={decide.isPending || !ready}
        >
          <p>{t.supervisor.appeal.confirmBody}</p>
          <p>
            <strong>{choice === 'REVISE' ? t.supervisor.appeal.revise : t.supervisor.appeal.uphold}</strong>
          </p>
          {choice === 'REVISE' && ratings ? <RatingSummary hasilKerja={ratings.hasilKerja} perilaku={ratings.perilaku} /> : null}
        </ConfirmDialog>
      </div>
      {!ready ? <p className="muted small">{choice === null ? t.supervisor.appeal.pickDecision : t.supervisor.appeal.reasonsRequired}</p> : null}
    </form>
  );
}
