import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { problemFrom } from '../../../api/problem';
import { Alert, Badge, ProblemAlert } from '../../../components/basic';
import { BarChart } from '../../../components/chart';
import { SelectField } from '../../../components/select';
import { Button, TextField } from '../../../components/ui';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { inSchemaOrder } from './schema-help';
import { diffQuery, rsApi, runQuery, type EmployeesDryRun, type FactsSimulation, type RuleSetItem, type RuleSetVersion, type SimulationRun } from './queries';

const SAMPLE_FACTS = [
  { id: 'A', facts: { capaianAvg: 110, hasilKerjaRating: 'DI_ATAS', perilakuRating: 'SESUAI', attendanceRate: 98 } },
  { id: 'B', facts: { capaianAvg: 70, hasilKerjaRating: 'DI_BAWAH', perilakuRating: 'SESUAI', reportsMissing: 3 } },
];
const PREDIKAT_KEYS = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG', 'NONE'] as const;
type PredikatKey = (typeof PREDIKAT_KEYS)[number];

const versionPath = (regionCode: string, v: RuleSetVersion) => ({ param: { regionCode, ruleSetId: v.ruleSetId, versionId: v.id } });
/** a JSON pointer's segments (RFC 6901 escapes undone) */
const segmentsOf = (pointer: string) =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
const value = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

function usePredikatLabel() {
  const t = useT();
  return (p: string | null) => (p === null || p === 'NONE' ? t.adminRules.none : (t.predikat[p as Exclude<PredikatKey, 'NONE'>] ?? p));
}

function Blocked({ reason }: { reason: string | null }) {
  return reason ? <p className="muted">{reason}</p> : null;
}

/** Simulate against facts typed here: per subject the predikat, the reasons and which rules fired on which values. */
export function SimulateSection({ version, blocked }: { version: RuleSetVersion; blocked: string | null }) {
  const t = useT();
  const label = usePredikatLabel();
  const regionCode = useRegionCode();
  const [facts, setFacts] = useState(() => JSON.stringify(SAMPLE_FACTS, null, 2));
  const [syntax, setSyntax] = useState<string | undefined>();
  const run = useMutation({
    mutationFn: async (subjects: Record<string, unknown>[]) => {
      const res = await rsApi['rule-sets'][':ruleSetId'].versions[':versionId'].simulate.$post({
        ...versionPath(regionCode, version),
        json: { subjects, trace: true },
      });
      if (!res.ok) throw await problemFrom(res);
      return (await res.json()) as FactsSimulation;
    },
  });
  const submit = () => {
    try {
      const v: unknown = JSON.parse(facts);
      setSyntax(undefined);
      run.mutate((Array.isArray(v) ? v : [v]) as Record<string, unknown>[]);
    } catch (err) {
      setSyntax(t.adminRules.syntax(err instanceof Error ? err.message : String(err)));
    }
  };
  return (
    <section className="card stack" aria-labelledby="rs-simulate">
      <h2 id="rs-simulate">{t.adminRules.simulate}</h2>
      <p className="muted small">{t.adminRules.simulateIntro}</p>
      <TextField label={t.adminRules.facts} value={facts} onChange={setFacts} multiline error={syntax} />
      <ProblemAlert error={run.error} />
      <div className="row">
        <Button onPress={submit} isDisabled={run.isPending || blocked !== null}>
          {t.adminRules.run}
        </Button>
        <Blocked reason={blocked} />
      </div>
      {run.data?.results.map((r) => (
        <article key={r.id} className="rs-subject" aria-label={t.adminRules.subject(r.id)}>
          <h3>
            {t.adminRules.subject(r.id)}: {label(r.predikat)}
            {r.numericScore !== null ? (
              <span className="muted small">
                {' '}
                · {t.adminRules.score} {r.numericScore}
              </span>
            ) : null}
          </h3>
          <h4>{t.adminRules.reasons}</h4>
          <ul>
            {r.reasons.map((reason, i) => (
              <li key={i}>{reason}</li>
            ))}
          </ul>
          <h4>{t.adminRules.trace}</h4>
          <div className="rs-scroll">
            <table className="plain rs-trace">
              <thead>
                <tr>
                  <th scope="col">{t.adminRules.name}</th>
                  <th scope="col">{t.adminRules.fact}</th>
                  <th scope="col">{t.adminRules.factValue}</th>
                  <th scope="col">{t.adminRules.operator}</th>
                  <th scope="col">{t.adminRules.expected}</th>
                  <th scope="col">{t.adminRules.result}</th>
                </tr>
              </thead>
              <tbody>
                {(r.trace ?? []).flatMap((rule) =>
                  (rule.conditions.length ? rule.conditions : [null]).map((c, ci) => (
                    <tr key={`${rule.index}-${ci}`} data-fired={rule.fired}>
                      {ci === 0 ? (
                        <th scope="row" rowSpan={Math.max(1, rule.conditions.length)}>
                          {rule.rule} <Badge tone={rule.fired ? 'ok' : 'neutral'}>{rule.fired ? t.adminRules.fired : t.adminRules.notFired}</Badge>
                        </th>
                      ) : null}
                      <td>{c?.fact ?? '—'}</td>
                      <td>{c ? value(c.factValue) : '—'}</td>
                      <td>{c?.operator ?? '—'}</td>
                      <td>{c ? value(c.value) : '—'}</td>
                      <td>{c ? (c.result === null ? '—' : c.result ? '✓' : '✗') : '—'}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </article>
      ))}
    </section>
  );
}

/** What a dry run shows, from an inline answer or a finished background run. */
type DryRunView = Pick<EmployeesDryRun, 'current' | 'proposed' | 'comparison'> & {
  employees?: number;
  fromScores?: number;
  results?: EmployeesDryRun['results'];
};

/** The dry run over the region's employees: the predikat distribution of the current version against this one. */
export function DryRunSection({ version, blocked }: { version: RuleSetVersion; blocked: string | null }) {
  const t = useT();
  const label = usePredikatLabel();
  const regionCode = useRegionCode();
  const [runId, setRunId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () => {
      const res = await rsApi['rule-sets'][':ruleSetId'].versions[':versionId'].simulate.$post({
        ...versionPath(regionCode, version),
        json: { employees: true },
      });
      if (!res.ok) throw await problemFrom(res);
      // 202: too large to run inline, the API runs it in the background
      if (res.status === 202) return { started: await res.json() };
      return { result: (await res.json()) as EmployeesDryRun };
    },
    onSuccess: (out) => setRunId(out.started?.runId ?? null),
  });
  const run = useQuery({ ...runQuery(regionCode, runId ?? ''), enabled: runId !== null });
  const background: SimulationRun | undefined = runId ? run.data : undefined;
  const view: DryRunView | null = start.data?.result ?? background?.result ?? null;

  const series = view
    ? [
        ...(view.current
          ? [{ label: view.current.version ? t.adminRules.current(view.current.version) : t.adminRules.currentNone, values: view.current.distribution }]
          : []),
        { label: t.adminRules.proposed(view.proposed.version ?? version.version), values: view.proposed.distribution },
      ]
    : [];
  const people = new Map((view?.results ?? []).map((r) => [r.employeeId, r]));
  const changed = view?.comparison?.changed ?? [];
  return (
    <section className="card stack" aria-labelledby="rs-dryrun">
      <h2 id="rs-dryrun">{t.adminRules.dryRun}</h2>
      <p className="muted small">{t.adminRules.dryRunIntro}</p>
      <ProblemAlert error={start.error ?? run.error} />
      <div className="row">
        <Button onPress={() => start.mutate()} isDisabled={start.isPending || background?.status === 'RUNNING' || blocked !== null}>
          {t.adminRules.startDryRun}
        </Button>
        <Blocked reason={blocked} />
      </div>
      {background && background.status !== 'DONE' ? (
        background.status === 'FAILED' ? (
          <Alert tone="bad" title={background.error ?? ''} />
        ) : (
          <div role="status">
            <progress max={background.total} value={background.done} aria-label={t.adminRules.running(background.done, background.total)} />{' '}
            {t.adminRules.running(background.done, background.total)}
          </div>
        )
      ) : null}
      {view ? (
        <>
          {view.employees !== undefined ? <p>{t.adminRules.employees(view.employees, view.fromScores ?? 0)}</p> : null}
          {view.current ? null : <p className="muted">{t.adminRules.noCurrent}</p>}
          <BarChart title={t.adminRules.distribution} categories={PREDIKAT_KEYS.map((k) => ({ key: k, label: label(k) }))} series={series} share />
          {view.comparison ? <p role="status">{t.adminRules.changed(view.comparison.changedTotal ?? changed.length)}</p> : null}
          {changed.length ? (
            <div className="rs-scroll">
              <table className="plain">
                <caption className="sr-only">{t.adminRules.changed(changed.length)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.adminRules.employee}</th>
                    <th scope="col">{t.adminRules.before}</th>
                    <th scope="col">{t.adminRules.after}</th>
                  </tr>
                </thead>
                <tbody>
                  {changed.slice(0, 100).map((c) => {
                    const p = people.get(c.id);
                    return (
                      <tr key={c.id}>
                        <th scope="row">{p?.name ? `${p.name} (${p.nip ?? ''})` : c.id}</th>
                        <td>{label(c.current)}</td>
                        <td>{label(c.proposed)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** Two versions side by side: each changed path with its value before and after. */
export function DiffSection({ ruleSet, version }: { ruleSet: RuleSetItem; version: RuleSetVersion }) {
  const t = useT();
  const regionCode = useRegionCode();
  const others = ruleSet.versions.filter((v) => v.id !== version.id);
  const [from, setFrom] = useState(() => ([...others].reverse().find((v) => v.status === 'PUBLISHED') ?? others.at(-1))?.id ?? version.id);
  const [to, setTo] = useState(version.id);
  const diff = useQuery({ ...diffQuery(regionCode, ruleSet.id, from, to), enabled: from !== to });
  const options = ruleSet.versions.map((v) => ({ id: v.id, label: `${t.adminRules.version(v.version)} · ${t.adminRules.status[v.status]}` }));
  return (
    <section className="card stack" aria-labelledby="rs-diff">
      <h2 id="rs-diff">{t.adminRules.diff}</h2>
      <div className="row">
        <SelectField label={t.adminRules.diffFrom} value={from} onChange={setFrom} options={options} />
        <SelectField label={t.adminRules.diffTo} value={to} onChange={setTo} options={options} />
      </div>
      <ProblemAlert error={diff.error} />
      {from === to || diff.data?.changes.length === 0 ? <p className="muted">{t.adminRules.noChanges}</p> : null}
      {diff.data && diff.data.changes.length ? (
        <div className="rs-scroll">
          <table className="plain rs-diff">
            <caption className="sr-only">{t.adminRules.diff}</caption>
            <thead>
              <tr>
                <th scope="col">{t.adminRules.path}</th>
                <th scope="col">{t.adminRules.version(diff.data.from.version)}</th>
                <th scope="col">{t.adminRules.version(diff.data.to.version)}</th>
              </tr>
            </thead>
            <tbody>
              {diff.data.changes.map((c) => (
                <tr key={c.pointer} data-op={c.op}>
                  <th scope="row">
                    <code>{c.pointer}</code>
                  </th>
                  <td>
                    <pre className="rs-value" data-side="before">
                      {c.before === undefined ? '—' : JSON.stringify(inSchemaOrder(c.before, segmentsOf(c.pointer)), null, 2)}
                    </pre>
                  </td>
                  <td>
                    <pre className="rs-value" data-side="after">
                      {c.after === undefined ? '—' : JSON.stringify(inSchemaOrder(c.after, segmentsOf(c.pointer)), null, 2)}
                    </pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
