import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Badge, Loading, PageHead, ProblemAlert } from '../../../components/basic';
import { Button } from '../../../components/ui';
import { saveDownload } from '../../../api/files';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { Dashboard, OpeningProgress, Section, UnitDistribution, UnitTable } from './parts';
import { cycleApi, cycleQuery, reportQuery, type Cycle } from './queries';

const route = getRouteApi('/app/admin/$regionCode/cycles/$cycleId');

/** One cycle: the fan-out's progress while it opens, the report (dashboard, per unit, calibration links), the exports. */
export function CyclePage() {
  const t = useT();
  const regionCode = useRegionCode();
  const { cycleId } = route.useParams();
  const cycle = useQuery(cycleQuery(regionCode, cycleId));
  const report = useQuery({ ...reportQuery(regionCode, cycleId), refetchInterval: cycle.data && !cycle.data.progress.done ? 2000 : 30_000 });
  const c = cycle.data?.cycle;
  return (
    <>
      <PageHead title={c?.name ?? t.adminCycles.title}>
        {c ? (
          <p className="row">
            <Badge tone={c.status === 'OPEN' ? 'ok' : 'info'}>{t.adminCycles.status[c.status]}</Badge>
            {c.unitCalibration ? <Badge tone="info">{t.adminCycles.list.calibration}</Badge> : null}
          </p>
        ) : null}
      </PageHead>
      <ProblemAlert error={cycle.error} onRetry={() => void cycle.refetch()} />
      <div className="stack">
        <div className="card">
          <OpeningProgress cycleId={cycleId} />
        </div>
        <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />
        {report.isPending ? <Loading /> : null}
        {report.data && c ? (
          <>
            <Dashboard report={report.data} />
            <Section id="units" title={t.adminCycles.report.units}>
              <UnitTable report={report.data} cycleId={cycleId} calibration={c.unitCalibration} />
            </Section>
            <Section id="unit-chart" title={t.adminCycles.report.unitChart}>
              <UnitDistribution report={report.data} />
            </Section>
            <Exports cycle={c} />
          </>
        ) : null}
      </div>
      <p>
        <Link to="/admin/$regionCode/cycles" params={{ regionCode }}>
          {t.adminCycles.overview.cycles}
        </Link>
      </p>
    </>
  );
}

type Format = 'csv' | 'csv-semicolon' | 'xlsx';

/** The report as files: fetched with the access token and saved under the server's file name. */
function Exports({ cycle }: { cycle: Cycle }) {
  const t = useT();
  const r = t.adminCycles.report;
  const regionCode = useRegionCode();
  const param = { regionCode, cycleId: cycle.id };
  const download = useMutation({
    mutationFn: (format: Format) =>
      format === 'xlsx'
        ? saveDownload(cycleApi.cycles[':cycleId']['report.xlsx'].$get({ param, query: {} }), `kinerja-${cycle.year}.xlsx`)
        : saveDownload(
            cycleApi.cycles[':cycleId']['report.csv'].$get({ param, query: { delimiter: format === 'csv' ? 'comma' : 'semicolon' } }),
            `kinerja-${cycle.year}.csv`,
          ),
  });
  const buttons: { format: Format; label: string }[] = [
    { format: 'xlsx', label: r.xlsx },
    { format: 'csv', label: r.csv },
    { format: 'csv-semicolon', label: r.csvSemicolon },
  ];
  return (
    <Section id="exports" title={r.exports}>
      <p>{r.exportsIntro}</p>
      <div className="row">
        {buttons.map((b) => (
          <Button key={b.format} variant="secondary" isDisabled={download.isPending} onPress={() => download.mutate(b.format)}>
            {download.isPending && download.variables === b.format ? r.downloading : b.label}
          </Button>
        ))}
      </div>
      <ProblemAlert error={download.error} />
    </Section>
  );
}
