import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Badge, Loading, PageHead, ProblemAlert, type Tone } from '../../../components/basic';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { Scroll } from './parts';
import { cyclesQuery, type CycleStatus } from './queries';

const TONE: Record<CycleStatus, Tone> = { OPENING: 'info', OPEN: 'ok', FINALISING: 'warn', CLOSED: 'neutral' };

/** The region's cycles, newest year first. */
export function CyclesPage() {
  const t = useT();
  const l = t.adminCycles.list;
  const regionCode = useRegionCode();
  const list = useQuery(cyclesQuery(regionCode));
  return (
    <>
      <PageHead title={l.title}>
        <Link to="/admin/$regionCode/cycles/new" params={{ regionCode }} className="btn">
          {l.open}
        </Link>
      </PageHead>
      <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />
      {!list.data ? (
        list.isPending ? (
          <Loading />
        ) : null
      ) : list.data.items.length === 0 ? (
        <p>{l.empty}</p>
      ) : (
        <Scroll label={l.caption}>
          <table className="plain">
            <caption className="sr-only">{l.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{l.year}</th>
                <th scope="col">{l.name}</th>
                <th scope="col">{l.status}</th>
                <th scope="col">{l.employees}</th>
                <th scope="col">{l.calibration}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.year}</td>
                  <th scope="row">
                    <Link to="/admin/$regionCode/cycles/$cycleId" params={{ regionCode, cycleId: c.id }}>
                      {c.name}
                    </Link>
                  </th>
                  <td>
                    <Badge tone={TONE[c.status]}>{t.adminCycles.status[c.status]}</Badge>
                  </td>
                  <td>{c.totalEmployees}</td>
                  <td>{c.unitCalibration ? t.app.yes : t.app.no}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
    </>
  );
}
