import type { UnitPredikat } from '@kinerja/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ok } from '../../../api/client';
import { Alert, Badge, Loading, PageHead, ProblemAlert } from '../../../components/basic';
import { BarChart } from '../../../components/chart';
import { SelectField } from '../../../components/select';
import { Button, Checkbox, TextField } from '../../../components/ui';
import { useI18n, useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/time';
import { useRegionCode } from '../base';
import { chartBounds, DISTRIBUTION_RULES, shareOf, UNIT_PREDIKATS, type DistributionRule } from './bounds';
import { ChartCard, Scroll, Section, usePredikats } from './parts';
import { calibrationQuery, cycleApi, cycleKeys, type CalibrationPreview, type CalibrationResult } from './queries';

const route = getRouteApi('/app/admin/$regionCode/cycles/$cycleId/units/$unitId');
/** the API's shortest reason (multilineText min 10) */
const REASON_MIN = 10;

/**
 * One unit's calibration (SE MenPANRB 03/2023): its staff's predikat against the bounds of the unit's own predikat,
 * the violations, and the two decisions, finalise or send back for re-rating, each with its reason.
 */
export function CalibrationPage() {
  const t = useT();
  const c = t.adminCycles.calibration;
  const regionCode = useRegionCode();
  const { cycleId, unitId } = route.useParams();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const q = useQuery(calibrationQuery(regionCode, cycleId, unitId, search.predikat));
  const data = q.data;
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <PageHead title={data ? c.title(data.unit.name) : t.adminCycles.title} intro={c.intro} />
      <p>
        <Link to="/admin/$regionCode/cycles/$cycleId" params={{ regionCode, cycleId }}>
          {c.back}
        </Link>
      </p>
      <ProblemAlert error={q.error} onRetry={() => void q.refetch()} />
      {!data ? (
        q.isPending ? (
          <Loading />
        ) : null
      ) : (
        <div className="stack">
          {!data.cycle.unitCalibration ? <Alert tone="info">{c.notEnabled}</Alert> : null}
          <StatusLine data={data} />
          {done ? <Alert tone="ok">{done}</Alert> : null}
          <div className="cyc-pick">
            <SelectField<UnitPredikat>
              label={c.unitPredikat}
              placeholder={c.pickPredikat}
              value={data.unitPredikat}
              onChange={(p) => void navigate({ search: { predikat: p }, replace: true })}
              options={UNIT_PREDIKATS.map((p) => ({ id: p, label: c.unitPredikatName[p] }))}
            />
          </div>
          <Counts data={data} />
          {data.unitPredikat ? <Distribution data={data} unitPredikat={data.unitPredikat} /> : <p>{c.pickFirst}</p>}
          <Section id="evaluations" title={c.evaluations}>
            <Evaluations data={data} />
          </Section>
          {data.cycle.unitCalibration && data.unitPredikat && data.unitResult?.status !== 'FINALISED' ? (
            <Decisions data={data} unitPredikat={data.unitPredikat} onDone={setDone} />
          ) : null}
        </div>
      )}
    </>
  );
}

function StatusLine({ data }: { data: CalibrationPreview }) {
  const { t, locale } = useI18n();
  const c = t.adminCycles.calibration;
  const r = data.unitResult;
  if (!r) return null;
  const status = c.status[r.status];
  return (
    <Alert tone={r.status === 'FINALISED' ? 'ok' : 'info'} title={r.decidedAt ? c.decided(status, formatDateTime(r.decidedAt, locale)) : status}>
      {r.reason ? <p>{c.reasonWas(r.reason)}</p> : null}
    </Alert>
  );
}

function Counts({ data }: { data: CalibrationPreview }) {
  const c = useT().adminCycles.calibration;
  const rows = [
    [c.staff, data.staff],
    [c.scored, data.scored],
    [c.waiting, data.waiting],
    [c.pending, data.pending],
  ] as const;
  return (
    <dl className="cyc-figures">
      {rows.map(([label, n]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A rule in words: which predikat it counts and its bound. */
function useRuleText() {
  const t = useT();
  const w = t.adminCycles.rule;
  return (rule: DistributionRule) => {
    const [first, ...more] = rule.of.map((p) => t.predikat[p]);
    const what = more.reduce((a, b) => w.or(a, b), first!);
    if (rule.max === 0) return w.none(what);
    if (rule.max !== undefined) return w.atMost(what, rule.max);
    if (rule.min !== undefined && rule.min < 1e-6) return w.exists(what);
    return w.atLeast(what, rule.min ?? 0);
  };
}

/** The chart against the bounds, each bound kept or broken, and the API's violations. */
function Distribution({ data, unitPredikat }: { data: CalibrationPreview; unitPredikat: UnitPredikat }) {
  const t = useT();
  const c = t.adminCycles.calibration;
  const predikats = usePredikats();
  const ruleText = useRuleText();
  const rules = DISTRIBUTION_RULES[unitPredikat];
  const broken = new Set(data.violations.map((v) => v.code));
  const ruleOf = (code: string) => rules.find((r) => r.code === code);
  return (
    <>
      <ChartCard>
        <BarChart
          title={c.chart(data.unit.name)}
          share
          bounds={chartBounds(unitPredikat)}
          categories={predikats.map((p) => ({ key: p, label: t.predikat[p] }))}
          series={[{ label: c.series, values: data.distribution }]}
        />
        <h3>{c.rules}</h3>
        <ul className="cyc-rules">
          {rules.map((r) => (
            <li key={r.code}>
              <Badge tone={broken.has(r.code) ? 'bad' : 'ok'}>{broken.has(r.code) ? c.violated : c.kept}</Badge> {ruleText(r)}
              <span className="muted small"> · {Math.round(shareOf(r, data.distribution) * 1000) / 10}%</span>
            </li>
          ))}
        </ul>
      </ChartCard>
      <Section id="violations" title={c.violations}>
        {data.violations.length ? (
          <ul className="cyc-violations" aria-label={c.violations}>
            {data.violations.map((v) => {
              const rule = ruleOf(v.code);
              return (
                <li key={v.code}>
                  <strong>{rule ? ruleText(rule) : v.message}</strong> <span>{c.actual(v.actual, v.bound)}</span>
                </li>
              );
            })}
          </ul>
        ) : (
          <p>{c.noViolations}</p>
        )}
      </Section>
    </>
  );
}

function Evaluations({ data }: { data: CalibrationPreview }) {
  const t = useT();
  const c = t.adminCycles.calibration;
  return (
    <Scroll label={c.evaluations}>
      <table className="plain">
        <caption className="sr-only">{c.evaluations}</caption>
        <thead>
          <tr>
            <th scope="col">{c.nip}</th>
            <th scope="col">{c.name}</th>
            <th scope="col">{c.phase}</th>
            <th scope="col">{c.predikat}</th>
          </tr>
        </thead>
        <tbody>
          {data.evaluations.map((e) => (
            <tr key={e.id}>
              <td className="nip">{e.employee.nip}</td>
              <th scope="row">{e.employee.name}</th>
              <td>{t.phase[e.phase]}</td>
              <td>{e.predikat ? t.predikat[e.predikat] : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function Decisions({ data, unitPredikat, onDone }: { data: CalibrationPreview; unitPredikat: UnitPredikat; onDone: (message: string) => void }) {
  const c = useT().adminCycles.calibration;
  const waiting = data.evaluations.filter((e) => e.phase === 'CALIBRATION');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(waiting.map((e) => e.id)));
  const picked = waiting.filter((e) => chosen.has(e.id)).map((e) => e.id);
  const told = (r: CalibrationResult, message: (n: number) => string) =>
    [message(r.signalled), r.failed.length ? c.failed(r.failed.length) : ''].join(' ').trim();
  return (
    <div className="grid2">
      <DecisionForm
        id="finalise"
        title={c.finalise}
        intro={c.finaliseIntro}
        submitLabel={c.finaliseSubmit}
        body={(reason) => ({ unitPredikat, decision: 'FINALISE', reason })}
        onDone={(r) => onDone(told(r, c.finalised))}
      />
      <DecisionForm
        id="send-back"
        title={c.sendBack}
        intro={c.sendBackIntro}
        submitLabel={c.sendBackSubmit}
        variant="secondary"
        body={(reason) => ({ unitPredikat, decision: 'SEND_BACK', reason, evaluationIds: picked })}
        invalid={picked.length === 0 ? c.chooseOne : undefined}
        onDone={(r) => onDone(told(r, c.sentBack))}
      >
        {waiting.length ? (
          <fieldset className="cyc-choose">
            <legend>{c.choose}</legend>
            {waiting.map((e) => (
              <Checkbox
                key={e.id}
                isSelected={chosen.has(e.id)}
                onChange={(on) =>
                  setChosen((prev) => {
                    const next = new Set(prev);
                    if (on) next.add(e.id);
                    else next.delete(e.id);
                    return next;
                  })
                }
              >
                {e.employee.name} ({e.employee.nip})
              </Checkbox>
            ))}
          </fieldset>
        ) : (
          <p>{c.nothingWaiting}</p>
        )}
      </DecisionForm>
    </div>
  );
}

type DecisionBody = Parameters<(typeof cycleApi)['cycles'][':cycleId']['units'][':unitId']['calibration']['$post']>[0]['json'];

/** One decision with its required reason; the field shows the client's check, then the API's message at /reason. */
function DecisionForm({
  id,
  title,
  intro,
  submitLabel,
  variant = 'primary',
  body,
  invalid,
  onDone,
  children,
}: {
  id: string;
  title: string;
  intro: string;
  submitLabel: string;
  variant?: 'primary' | 'secondary';
  body: (reason: string) => DecisionBody;
  /** why the form cannot be sent besides the reason */
  invalid?: string;
  onDone: (r: CalibrationResult) => void;
  children?: ReactNode;
}) {
  const c = useT().adminCycles.calibration;
  const regionCode = useRegionCode();
  const { cycleId, unitId } = route.useParams();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const decide = useMutation({
    mutationFn: (json: DecisionBody) => ok(cycleApi.cycles[':cycleId'].units[':unitId'].calibration.$post({ param: { regionCode, cycleId, unitId }, json })),
    onSuccess: async (r) => {
      setReason('');
      setTried(false);
      onDone(r);
      await queryClient.invalidateQueries({ queryKey: cycleKeys.report(regionCode, cycleId) });
      await queryClient.invalidateQueries({ queryKey: cycleKeys.calibration(regionCode, cycleId, unitId) });
    },
  });
  const text = reason.trim();
  const reasonError = !text ? c.reasonRequired : text.length < REASON_MIN ? c.reasonMin : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (reasonError || invalid) return;
    decide.mutate(body(text));
  };
  return (
    <form className="card stack" aria-labelledby={`${id}-title`} noValidate onSubmit={submit}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p>{intro}</p>
      {children}
      {tried && invalid ? <p className="error">{invalid}</p> : null}
      <TextField
        label={c.reason}
        description={c.reasonHelp}
        value={reason}
        onChange={setReason}
        multiline
        isRequired
        problem={decide.error}
        pointer="/reason"
        error={tried ? reasonError : undefined}
      />
      <ProblemAlert error={decide.error} placed={['/reason']} />
      <div className="row">
        <Button type="submit" variant={variant} isDisabled={decide.isPending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
