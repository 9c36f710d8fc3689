import type { Phase, Predikat, TaskKind } from '@kinerja/domain';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type ReactNode } from 'react';
import { Badge, ProblemAlert } from '../../../components/basic';
import { BarChart } from '../../../components/chart';
import { useI18n, useT } from '../../../i18n';
import { formatDateTime } from '../../../lib/time';
import { useRegionCode } from '../base';
import { cycleQuery, type CycleReport } from './queries';
import './cycles.css';

/** The phases and predikat in the order the dictionary lists them (the domain's order). */
export const usePhases = () => Object.keys(useT().phase) as Phase[];
export const usePredikats = () => Object.keys(useT().predikat) as Predikat[];

/** A wide table that scrolls sideways on a phone instead of squeezing its columns; reachable by keyboard. */
export function Scroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="cyc-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A card with its own heading, named by it for screen readers. */
export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card stack" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A card holding one chart: the chart's caption is its title. */
export const ChartCard = ({ children }: { children: ReactNode }) => <div className="card cyc-chart">{children}</div>;

/** Evaluations started out of the employees to start, asked again every second until the fan-out is done. */
export function OpeningProgress({ cycleId }: { cycleId: string }) {
  const t = useT();
  const regionCode = useRegionCode();
  const q = useQuery(cycleQuery(regionCode, cycleId));
  if (q.error) return <ProblemAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return null;
  const { started, total, done } = q.data.progress;
  return (
    <div className="cyc-progress">
      <label htmlFor={`progress-${cycleId}`}>{t.adminCycles.progress.label}</label>
      <progress id={`progress-${cycleId}`} max={Math.max(total, 1)} value={total ? started : 0} />
      <p role="status" aria-live="polite">
        {t.adminCycles.progress.value(started, total)}
        {done ? `. ${t.adminCycles.progress.done}` : ` · ${t.adminCycles.progress.opening}`}
      </p>
    </div>
  );
}

/** Headline counts of a report. */
function Figures({ report }: { report: CycleReport }) {
  const t = useT();
  const r = t.adminCycles.report;
  const figures = [
    { label: r.total, value: report.total },
    { label: r.openTasks, value: report.openTasks.total },
    { label: r.overdue, value: report.overdueTasks.total, tone: report.overdueTasks.total > 0 ? 'bad' : undefined },
    { label: r.escalatedOpen, value: report.escalations.open },
  ];
  return (
    <dl className="cyc-figures">
      {figures.map((f) => (
        <div key={f.label} data-tone={f.tone}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function OverdueByKind({ report }: { report: CycleReport }) {
  const t = useT();
  const r = t.adminCycles.report;
  const rows = (Object.entries(report.overdueTasks.byKind) as [TaskKind, number][]).sort((a, b) => b[1] - a[1]);
  if (!rows.length) return <p>{r.noOverdue}</p>;
  return (
    <table className="plain">
      <caption className="sr-only">{r.overdueByKind}</caption>
      <thead>
        <tr>
          <th scope="col">{r.kind}</th>
          <th scope="col">{r.count}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([kind, n]) => (
          <tr key={kind}>
            <th scope="row">{t.taskKind[kind]}</th>
            <td>{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OverdueBySupervisor({ report }: { report: CycleReport }) {
  const { t, locale } = useI18n();
  const r = t.adminCycles.report;
  if (!report.overdueBySupervisor.length) return <p>{r.noOverdue}</p>;
  return (
    <Scroll label={r.overdueBySupervisor}>
      <table className="plain">
        <caption className="sr-only">{r.overdueBySupervisor}</caption>
        <thead>
          <tr>
            <th scope="col">{r.supervisor}</th>
            <th scope="col">{r.unit}</th>
            <th scope="col">{r.overdue}</th>
            <th scope="col">{r.oldest}</th>
          </tr>
        </thead>
        <tbody>
          {report.overdueBySupervisor.map((s) => (
            <tr key={s.supervisor.id}>
              <th scope="row">
                {s.supervisor.name} <span className="muted small nip">{s.supervisor.nip}</span>
              </th>
              <td>{s.unit.name}</td>
              <td>{s.overdue}</td>
              <td>{formatDateTime(s.oldestDueAt, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function Reminders({ report }: { report: CycleReport }) {
  const r = useT().adminCycles.report;
  const rows = [
    [r.reminders, report.reminders.notifications],
    [r.remindedEvaluations, report.reminders.evaluations],
    [r.escalated, report.escalations.tasks],
    [r.escalatedOpen, report.escalations.open],
    [r.escalationNotices, report.escalations.notifications],
  ] as const;
  return (
    <dl className="cyc-pairs">
      {rows.map(([label, n]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * A cycle's dashboard: headline counts, progress by phase, overdue tasks (by kind, by pejabat penilai), reminders and
 * escalations, the region's predikat distribution. Shared by the overview and the cycle's page.
 */
export function Dashboard({ report }: { report: CycleReport }) {
  const { t, locale } = useI18n();
  const r = t.adminCycles.report;
  const phases = usePhases();
  const predikats = usePredikats();
  return (
    <div className="stack">
      <p className="muted small">{r.generated(formatDateTime(report.generatedAt, locale))}</p>
      <Figures report={report} />
      <div className="grid2">
        <ChartCard>
          <BarChart title={r.byPhase} categories={phases.map((p) => ({ key: p, label: t.phase[p] }))} series={[{ label: r.series, values: report.byPhase }]} />
        </ChartCard>
        <ChartCard>
          <BarChart
            title={r.distribution}
            categories={[...predikats.map((p) => ({ key: p, label: t.predikat[p] })), { key: 'NONE', label: r.notRated }]}
            series={[{ label: r.series, values: report.distribution }]}
          />
        </ChartCard>
        <Section id="overdue-kind" title={r.overdueByKind}>
          <OverdueByKind report={report} />
        </Section>
        <Section id="reminders" title={r.remindersTitle}>
          <Reminders report={report} />
        </Section>
      </div>
      <Section id="overdue-supervisor" title={r.overdueBySupervisor}>
        <OverdueBySupervisor report={report} />
      </Section>
    </div>
  );
}

/** The per-unit table: evaluations, rated, each predikat, the unit predikat and its violations, calibration links. */
export function UnitTable({ report, cycleId, calibration }: { report: CycleReport; cycleId: string; calibration: boolean }) {
  const t = useT();
  const r = t.adminCycles.report;
  const regionCode = useRegionCode();
  const predikats = usePredikats();
  if (!report.units.length) return <p>{r.none}</p>;
  return (
    <Scroll label={r.unitsCaption}>
      <table className="plain cyc-units">
        <caption className="sr-only">{r.unitsCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{r.unit}</th>
            <th scope="col">{r.evaluations}</th>
            <th scope="col">{r.rated}</th>
            {predikats.map((p) => (
              <th key={p} scope="col">
                {t.predikat[p]}
              </th>
            ))}
            <th scope="col">{r.unitPredikat}</th>
            <th scope="col">{r.violations}</th>
          </tr>
        </thead>
        <tbody>
          {report.units.map((u) => (
            <tr key={u.unit.id}>
              <th scope="row">
                {calibration ? (
                  <Link
                    to="/admin/$regionCode/cycles/$cycleId/units/$unitId"
                    params={{ regionCode, cycleId, unitId: u.unit.id }}
                    aria-label={r.calibrate(u.unit.name)}
                  >
                    {u.unit.name}
                  </Link>
                ) : (
                  u.unit.name
                )}{' '}
                <span className="muted small">{u.unit.code}</span>
              </th>
              <td>{u.evaluations}</td>
              <td>{u.rated}</td>
              {predikats.map((p) => (
                <td key={p}>{u.distribution[p]}</td>
              ))}
              <td>{u.unitPredikat ? t.adminCycles.calibration.unitPredikatName[u.unitPredikat] : '–'}</td>
              <td>{u.unitPredikat ? u.violations.length ? <Badge tone="bad">{u.violations.length}</Badge> : <Badge tone="ok">{r.ok}</Badge> : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

/** One unit's predikat distribution next to the region's, in shares (units of any size compare). */
export function UnitDistribution({ report }: { report: CycleReport }) {
  const t = useT();
  const r = t.adminCycles.report;
  const predikats = usePredikats();
  const [unitId, setUnitId] = useState(report.units[0]?.unit.id ?? '');
  const unit = report.units.find((u) => u.unit.id === unitId) ?? report.units[0];
  if (!unit) return <p>{r.none}</p>;
  const region = Object.fromEntries(predikats.map((p) => [p, report.distribution[p]]));
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor="unit-chart-pick">{r.unitPick}</label>
        <select id="unit-chart-pick" value={unit.unit.id} onChange={(e) => setUnitId(e.target.value)}>
          {report.units.map((u) => (
            <option key={u.unit.id} value={u.unit.id}>
              {u.unit.name}
            </option>
          ))}
        </select>
      </div>
      <BarChart
        title={`${r.unitChart}: ${unit.unit.name}`}
        share
        categories={predikats.map((p) => ({ key: p, label: t.predikat[p] }))}
        series={[
          { label: r.unitSeries(unit.unit.name), values: unit.distribution },
          { label: r.regionSeries, values: region },
        ]}
      />
    </div>
  );
}
