import { useState } from 'react';
import { api, ok } from '../../api/client';
import { pointer } from '../../api/problem';
import type { EvaluationDetail } from '../../api/queries';
import { Alert, Badge, ProblemAlert } from '../../components/basic';
import { Button, TextField } from '../../components/ui';
import { useI18n } from '../../i18n';
import { skpStatusOf } from '../../lib/evaluation';
import { useCommand } from './command';
import type { Standing } from './standing';

type DecisionBody = Parameters<(typeof api.evaluations)[':id']['targets']['decision']['$post']>[0]['json'];

/** The subordinate's SKP (RHK and indicators), and the decision on a submitted one: approve, or return with a note. */
export function SkpSection({ data, standing }: { data: EvaluationDetail; standing: Standing }) {
  const { t, locale } = useI18n();
  const id = data.evaluation.id;
  const skp = data.evaluation.skp;
  const status = skpStatusOf(data);
  const [note, setNote] = useState('');
  const [noteMissing, setNoteMissing] = useState(false);
  const decide = useCommand(id, (json: DecisionBody) => ok(api.evaluations[':id'].targets.decision.$post({ param: { id }, json })));
  const canDecide = status === 'SUBMITTED' && standing.may('APPROVE_TARGETS');
  const tone = status === 'APPROVED' ? 'ok' : status === 'RETURNED' ? 'warn' : 'info';

  const send = (decision: 'APPROVE' | 'RETURN') => {
    const text = note.trim();
    if (decision === 'RETURN' && text.length < 3) {
      setNoteMissing(true);
      return;
    }
    setNoteMissing(false);
    decide.mutate(decision === 'RETURN' ? { decision, note: text } : { decision, ...(text ? { note: text } : {}) }, { onSuccess: () => setNote('') });
  };

  return (
    <section className="card" aria-labelledby="sv-skp-h">
      <div className="spread">
        <h2 id="sv-skp-h">{t.supervisor.skp.title}</h2>
        <span className="row">
          {skp && skp.revision > 1 ? <span className="muted small">{t.supervisor.skp.revision(skp.revision)}</span> : null}
          <Badge tone={tone}>{t.asn.skpStatus[status]}</Badge>
        </span>
      </div>
      {!skp || skp.rhk.length === 0 ? <p className="muted">{t.supervisor.skp.empty}</p> : null}
      {skp?.rhk.map((r, i) => (
        <div key={r.id} className="stack" style={{ marginTop: 12 }}>
          <h3>
            {t.supervisor.skp.rhk(i + 1)}: {r.title}
          </h3>
          {r.parentRhkId ? (
            <p>
              <Badge tone="neutral">{t.supervisor.skp.supports}</Badge>
            </p>
          ) : null}
          <table className="sv-table">
            <thead>
              <tr>
                <th scope="col">{t.supervisor.skp.indicator}</th>
                <th scope="col" className="num">
                  {t.supervisor.skp.target}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.indicators.map((ind) => (
                <tr key={ind.id}>
                  <td>
                    {ind.name}
                    <div className="muted small">
                      {t.indicatorKind[ind.kind]}
                      {ind.weight !== null ? ` · ${t.supervisor.skp.weight(ind.weight.toLocaleString(locale))}` : ''}
                    </div>
                  </td>
                  <td className="num">
                    {ind.target.toLocaleString(locale)} {ind.unit}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {status === 'RETURNED' && skp?.returnNote ? (
        <Alert tone="warn" title={t.supervisor.skp.lastNote}>
          <p className="sv-pre">{skp.returnNote}</p>
        </Alert>
      ) : null}
      {decide.isSuccess && !decide.isPending ? (
        <Alert tone="ok">{decide.variables.decision === 'APPROVE' ? t.supervisor.skp.approved : t.supervisor.skp.returned}</Alert>
      ) : null}
      <ProblemAlert error={decide.error} placed={canDecide ? [pointer('note')] : []} />
      {canDecide ? (
        <form className="stack" style={{ marginTop: 16 }} onSubmit={(e) => e.preventDefault()} noValidate aria-labelledby="sv-skp-decide-h">
          <h3 id="sv-skp-decide-h">{t.supervisor.skp.decide}</h3>
          <TextField
            label={t.supervisor.skp.note}
            description={`${t.supervisor.skp.noteHelpApprove} ${t.supervisor.skp.noteHelpReturn}`}
            multiline
            value={note}
            onChange={setNote}
            problem={decide.error}
            pointer={pointer('note')}
            error={noteMissing ? t.supervisor.skp.noteRequired : undefined}
          />
          <div className="sv-actions">
            <Button onPress={() => send('APPROVE')} isDisabled={decide.isPending}>
              {t.supervisor.skp.approve}
            </Button>
            <Button variant="secondary" onPress={() => send('RETURN')} isDisabled={decide.isPending}>
              {t.supervisor.skp.return}
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
