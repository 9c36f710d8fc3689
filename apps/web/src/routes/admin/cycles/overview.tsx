import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Loading, PageHead, ProblemAlert } from '../../../components/basic';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { Dashboard, OpeningProgress, Section, UnitTable } from './parts';
import { currentCycle, cyclesQuery, publishedVersions, reportQuery, ruleSetsQuery, type Cycle } from './queries';

/** /admin/$regionCode: the current cycle's dashboard, or how to start when the region has none. */
export function OverviewPage() {
  const t = useT();
  const regionCode = useRegionCode();
  const list = useQuery(cyclesQuery(regionCode));
  const cycle = currentCycle(list.data);
  return (
    <>
      <PageHead title={t.adminCycles.overview.title} />
      <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending ? <Loading /> : cycle ? <CurrentCycle cycle={cycle} /> : list.data ? <NoCycle /> : null}
      <Sections />
    </>
  );
}

function CurrentCycle({ cycle }: { cycle: Cycle }) {
  const t = useT();
  const regionCode = useRegionCode();
  const report = useQuery(reportQuery(regionCode, cycle.id));
  return (
    <div className="stack">
      <div className="spread">
        <h2>{t.adminCycles.overview.current(cycle.name)}</h2>
        <Link to="/admin/$regionCode/cycles/$cycleId" params={{ regionCode, cycleId: cycle.id }} className="btn" data-variant="secondary">
          {t.adminCycles.overview.openCycle}
        </Link>
      </div>
      {cycle.status === 'OPENING' ? <OpeningProgress cycleId={cycle.id} /> : null}
      <ProblemAlert error={report.error} onRetry={() => void report.refetch()} />
      {report.data ? (
        <>
          <Dashboard report={report.data} />
          <Section id="units" title={t.adminCycles.report.units}>
            <UnitTable report={report.data} cycleId={cycle.id} calibration={cycle.unitCalibration} />
          </Section>
        </>
      ) : report.isPending ? (
        <Loading />
      ) : null}
    </div>
  );
}

/** No cycle yet: the two steps, with where each is done and whether the first is done already. */
function NoCycle() {
  const t = useT();
  const o = t.adminCycles.overview;
  const regionCode = useRegionCode();
  const ruleSets = useQuery(ruleSetsQuery(regionCode));
  const published = publishedVersions(ruleSets.data).length;
  return (
    <Section id="start" title={o.emptyTitle}>
      <p>{o.emptyIntro}</p>
      <ProblemAlert error={ruleSets.error} />
      <ol className="cyc-steps">
        <li>
          <strong>{o.stepPublish}</strong>
          <p className="muted">{ruleSets.data ? (published ? o.stepPublished(published) : o.stepNotPublished) : null}</p>
          <Link to="/admin/$regionCode/rule-sets" params={{ regionCode }} className="btn" data-variant={published ? 'secondary' : 'primary'}>
            {o.toRuleSets}
          </Link>
        </li>
        <li>
          <strong>{o.stepOpen}</strong>
          <Link to="/admin/$regionCode/cycles/new" params={{ regionCode }} className="btn" data-variant={published ? 'primary' : 'secondary'}>
            {o.toOpen}
          </Link>
        </li>
      </ol>
    </Section>
  );
}

/** Where the rest of the console is. */
function Sections() {
  const t = useT();
  const o = t.adminCycles.overview;
  const params = { regionCode: useRegionCode() };
  return (
    <nav aria-label={o.sections} className="card cyc-sections">
      <h2>{o.sections}</h2>
      <ul>
        <li>
          <Link to="/admin/$regionCode/org" params={params}>
            {o.org}
          </Link>
        </li>
        <li>
          <Link to="/admin/$regionCode/rule-sets" params={params}>
            {o.ruleSets}
          </Link>
        </li>
        <li>
          <Link to="/admin/$regionCode/cycles" params={params}>
            {o.cycles}
          </Link>
        </li>
        <li>
          <Link to="/admin/$regionCode/facts" params={params}>
            {o.facts}
          </Link>
        </li>
        <li>
          <Link to="/admin/$regionCode/audit" params={params}>
            {o.audit}
          </Link>
        </li>
      </ul>
    </nav>
  );
}
