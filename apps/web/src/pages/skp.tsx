import type { IndicatorKind } from '@kinerja/domain';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { api, ok } from '../api/client';
import { pointer } from '../api/problem';
import { evaluationQuery, type EvaluationDetail } from '../api/queries';
import { Alert, Badge, Countdown, PageHead, ProblemAlert } from '../components/basic';
import { ConfirmDialog } from '../components/dialog';
import { SelectField } from '../components/select';
import { Button, TextField } from '../components/ui';
import { dictionaries, useI18n } from '../i18n';
import { skpStatusOf, supportedRhkTitle } from '../lib/evaluation';
import { parseNumber } from '../lib/number';

type SkpBody = Parameters<(typeof api.evaluations)[':id']['targets']['$put']>[0]['json'];
/** The kinds, in the order the dictionary (checked against the domain's list) names them. */
const KINDS = Object.keys(dictionaries.id.indicatorKind) as IndicatorKind[];

interface IndicatorDraft {
  key: number;
  name: string;
  kind: IndicatorKind;
  target: string;
  unit: string;
  weight: string;
}
interface RhkDraft {
  key: number;
  title: string;
  parentRhkId: string | null;
  indicators: IndicatorDraft[];
}

/** The select's key for "supports none of the superior's RHK": no RHK id has parentheses (they name an evaluation and a position). */
const NONE = '(none)';

let nextKey = 1;
const newIndicator = (): IndicatorDraft => ({ key: nextKey++, name: '', kind: 'QUANTITY', target: '', unit: '', weight: '' });
const newRhk = (): RhkDraft => ({ key: nextKey++, title: '', parentRhkId: null, indicators: [newIndicator()] });

function draftOf(d: EvaluationDetail): RhkDraft[] {
  const rhk = d.evaluation.skp?.rhk ?? [];
  if (rhk.length === 0) return [newRhk()];
  return rhk.map((r) => ({
    key: nextKey++,
    title: r.title,
    parentRhkId: r.parentRhkId,
    indicators: r.indicators.map((i) => ({
      key: nextKey++,
      name: i.name,
      kind: i.kind,
      target: String(i.target),
      unit: i.unit,
      weight: i.weight === null ? '' : String(i.weight),
    })),
  }));
}

/** The body PUT /evaluations/{id}/targets takes; a number field that does not parse is sent as NaN for the API to name. */
function bodyOf(rhk: RhkDraft[]): SkpBody {
  return {
    rhk: rhk.map((r) => ({
      title: r.title,
      ...(r.parentRhkId ? { parentRhkId: r.parentRhkId } : {}),
      indicators: r.indicators.map((i) => ({
        name: i.name,
        kind: i.kind,
        target: parseNumber(i.target) ?? Number.NaN,
        unit: i.unit,
        ...(i.weight.trim() !== '' ? { weight: parseNumber(i.weight) ?? Number.NaN } : {}),
      })),
    })),
  };
}

/** Client-side: which number fields do not parse (the API's messages cover the rest). */
function numberErrors(rhk: RhkDraft[]): Set<string> {
  const bad = new Set<string>();
  rhk.forEach((r, ri) =>
    r.indicators.forEach((i, ii) => {
      if (parseNumber(i.target) === null) bad.add(pointer('rhk', ri, 'indicators', ii, 'target'));
      if (i.weight.trim() !== '' && parseNumber(i.weight) === null) bad.add(pointer('rhk', ri, 'indicators', ii, 'weight'));
    }),
  );
  return bad;
}

export function SkpPage() {
  const { t, locale } = useI18n();
  const { evaluationId } = useParams({ from: '/app/year/$evaluationId/skp' });
  const qc = useQueryClient();
  const { data } = useSuspenseQuery(evaluationQuery(evaluationId));
  const status = skpStatusOf(data);
  const phase = data.workflow?.phase ?? data.evaluation.phase;
  const editable = phase === 'TARGET_SETTING' && (status === 'DRAFT' || status === 'RETURNED');
  const [rhk, setRhk] = useState<RhkDraft[]>(() => draftOf(data));
  const [checked, setChecked] = useState(false);

  const submit = useMutation({
    mutationFn: (body: SkpBody) => ok(api.evaluations[':id'].targets.$put({ param: { id: evaluationId }, json: body })),
    onSuccess: async () => {
      await Promise.all([qc.invalidateQueries({ queryKey: evaluationQuery(evaluationId).queryKey }), qc.invalidateQueries({ queryKey: ['me', 'tasks'] })]);
    },
  });

  const bad = checked ? numberErrors(rhk) : new Set<string>();
  const placed: string[] = [];
  const at = (...path: (string | number)[]) => {
    const p = pointer(...path);
    placed.push(p);
    return p;
  };
  const setR = (ri: number, f: (r: RhkDraft) => RhkDraft) => setRhk((all) => all.map((r, i) => (i === ri ? f(r) : r)));
  const setI = (ri: number, ii: number, patch: Partial<IndicatorDraft>) =>
    setR(ri, (r) => ({ ...r, indicators: r.indicators.map((x, j) => (j === ii ? { ...x, ...patch } : x)) }));

  const onSubmit = () => {
    setChecked(true);
    if (numberErrors(rhk).size > 0) return;
    submit.mutate(bodyOf(rhk));
  };

  const skp = data.evaluation.skp;
  return (
    <>
      <PageHead title={t.asn.skp.title} intro={t.asn.skp.intro}>
        <div className="row">
          <Badge tone={status === 'APPROVED' ? 'ok' : status === 'RETURNED' ? 'warn' : 'info'}>{t.asn.skpStatus[status]}</Badge>
          {editable && data.workflow?.targetDeadline ? <Countdown dueAt={data.workflow.targetDeadline} /> : null}
        </div>
      </PageHead>
      {status === 'RETURNED' && skp?.returnNote ? (
        <Alert tone="warn" title={t.asn.skp.returned}>
          <p style={{ whiteSpace: 'pre-wrap' }}>{skp.returnNote}</p>
        </Alert>
      ) : null}
      {submit.isSuccess ? <Alert tone="ok">{t.asn.skp.submitted}</Alert> : null}
      {!editable && status !== 'SUBMITTED' && status !== 'APPROVED' ? <Alert tone="info">{t.asn.skp.readOnly}</Alert> : null}
      <ProblemAlert error={submit.error} placed={placed} />
      {editable ? (
        <form onSubmit={(e) => e.preventDefault()} noValidate className="stack">
          {rhk.map((r, ri) => (
            <fieldset key={r.key} className="card" style={{ margin: 0 }}>
              <legend className="label" style={{ fontWeight: 700, padding: '0 4px' }}>
                {t.asn.skp.rhk(ri + 1)}
              </legend>
              <TextField
                label={t.asn.skp.rhkTitle}
                multiline
                value={r.title}
                onChange={(v) => setR(ri, (x) => ({ ...x, title: v }))}
                problem={submit.error}
                pointer={at('rhk', ri, 'title')}
                isRequired
              />
              <SelectField
                label={t.asn.skp.parentRhk}
                description={data.superiorRhk.length > 0 ? t.asn.skp.parentHelp : t.asn.skp.parentHelpEmpty}
                value={r.parentRhkId ?? NONE}
                onChange={(v) => setR(ri, (x) => ({ ...x, parentRhkId: v === NONE ? null : v }))}
                options={[
                  { id: NONE, label: t.asn.skp.parentNone },
                  ...data.superiorRhk.map((s, si) => ({ id: s.id, label: `${t.asn.skp.rhk(si + 1)}: ${s.title}` })),
                  // a returned SKP may name an RHK the superior has since removed: shown, for the API to refuse
                  ...(r.parentRhkId && supportedRhkTitle(data.superiorRhk, r.parentRhkId) === undefined
                    ? [{ id: r.parentRhkId, label: t.asn.skp.parentUnknown }]
                    : []),
                ]}
                problem={submit.error}
                pointer={at('rhk', ri, 'parentRhkId')}
              />
              {r.indicators.map((ind, ii) => (
                <div key={ind.key} className="card" style={{ background: 'var(--canvas)' }}>
                  <div className="spread">
                    <h3>{t.asn.skp.indicator(ii + 1)}</h3>
                    {r.indicators.length > 1 ? (
                      <Button variant="ghost" onPress={() => setR(ri, (x) => ({ ...x, indicators: x.indicators.filter((_, j) => j !== ii) }))}>
                        {t.asn.skp.removeIndicator}
                      </Button>
                    ) : null}
                  </div>
                  <TextField
                    label={t.asn.skp.indicatorName}
                    value={ind.name}
                    onChange={(v) => setI(ri, ii, { name: v })}
                    problem={submit.error}
                    pointer={at('rhk', ri, 'indicators', ii, 'name')}
                    isRequired
                  />
                  <SelectField
                    label={t.asn.skp.kind}
                    value={ind.kind}
                    onChange={(v) => setI(ri, ii, { kind: v })}
                    options={KINDS.map((k) => ({ id: k, label: t.indicatorKind[k] }))}
                    problem={submit.error}
                    pointer={at('rhk', ri, 'indicators', ii, 'kind')}
                  />
                  <div className="grid2">
                    <TextField
                      label={t.asn.skp.target}
                      value={ind.target}
                      inputMode="decimal"
                      onChange={(v) => setI(ri, ii, { target: v })}
                      problem={submit.error}
                      pointer={at('rhk', ri, 'indicators', ii, 'target')}
                      error={bad.has(pointer('rhk', ri, 'indicators', ii, 'target')) ? t.asn.skp.notNumber : undefined}
                      isRequired
                    />
                    <TextField
                      label={t.asn.skp.unit}
                      value={ind.unit}
                      onChange={(v) => setI(ri, ii, { unit: v })}
                      problem={submit.error}
                      pointer={at('rhk', ri, 'indicators', ii, 'unit')}
                      isRequired
                    />
                  </div>
                  <TextField
                    label={t.asn.skp.weight}
                    description={t.asn.skp.weightHelp}
                    value={ind.weight}
                    inputMode="decimal"
                    onChange={(v) => setI(ri, ii, { weight: v })}
                    problem={submit.error}
                    pointer={at('rhk', ri, 'indicators', ii, 'weight')}
                    error={bad.has(pointer('rhk', ri, 'indicators', ii, 'weight')) ? t.asn.skp.notNumber : undefined}
                  />
                </div>
              ))}
              <div className="row">
                <Button variant="secondary" onPress={() => setR(ri, (x) => ({ ...x, indicators: [...x.indicators, newIndicator()] }))}>
                  {t.asn.skp.addIndicator}
                </Button>
                {rhk.length > 1 ? (
                  <Button variant="ghost" onPress={() => setRhk((all) => all.filter((_, i) => i !== ri))}>
                    {t.asn.skp.removeRhk}
                  </Button>
                ) : null}
              </div>
            </fieldset>
          ))}
          <Button variant="secondary" onPress={() => setRhk((all) => [...all, newRhk()])}>
            {t.asn.skp.addRhk}
          </Button>
          <ConfirmDialog
            triggerLabel={submit.isPending ? t.asn.skp.submitting : t.asn.skp.submit}
            isDisabled={submit.isPending}
            title={t.asn.skp.confirmSubmit}
            confirmLabel={t.asn.skp.submit}
            onConfirm={onSubmit}
          >
            <p>{t.asn.skp.confirmSubmitBody}</p>
          </ConfirmDialog>
        </form>
      ) : (
        <SkpView data={data} locale={locale} />
      )}
      <p>
        <Link to="/year/$evaluationId" params={{ evaluationId }}>
          {t.app.back}
        </Link>
      </p>
    </>
  );
}

function SkpView({ data }: { data: EvaluationDetail; locale: string }) {
  const { t } = useI18n();
  const parentLabel = (title: string | null | undefined) => (title === null ? t.asn.skp.parentNone : (title ?? t.asn.skp.parentUnknown));
  const rhk = data.evaluation.skp?.rhk ?? [];
  return (
    <div className="stack">
      {rhk.map((r, ri) => (
        <section key={r.id} className="card">
          <h2>
            {t.asn.skp.rhk(ri + 1)}: {r.title}
          </h2>
          <dl className="facts">
            <dt>{t.asn.skp.parentRhk}</dt>
            <dd>{parentLabel(supportedRhkTitle(data.superiorRhk, r.parentRhkId))}</dd>
          </dl>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">{t.asn.skp.indicatorName}</th>
                <th scope="col">{t.asn.skp.kind}</th>
                <th scope="col">{t.asn.skp.target}</th>
              </tr>
            </thead>
            <tbody>
              {r.indicators.map((i) => (
                <tr key={i.id}>
                  <td>{i.name}</td>
                  <td>{t.indicatorKind[i.kind]}</td>
                  <td>
                    {i.target} {i.unit}
                    {i.weight !== null ? ` · ${i.weight}%` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
