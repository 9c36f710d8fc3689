import { useSuspenseQuery } from '@tanstack/react-query';
import { Link, Navigate } from '@tanstack/react-router';
import { myEvaluationsQuery } from '../api/queries';
import { Badge, PageHead } from '../components/basic';
import { useT } from '../i18n';

/** My evaluations, newest first; with exactly one the page opens it. */
export function YearsPage() {
  const t = useT();
  const { data } = useSuspenseQuery(myEvaluationsQuery('employee'));
  if (data.items.length === 1) return <Navigate to="/year/$evaluationId" params={{ evaluationId: data.items[0]!.id }} replace />;
  return (
    <>
      <PageHead title={t.asn.years.title} />
      {data.items.length === 0 ? (
        <div className="card">
          <p>{t.asn.years.empty}</p>
        </div>
      ) : (
        <ul className="list">
          {data.items.map((e) => (
            <li key={e.id} className="card">
              <Link to="/year/$evaluationId" params={{ evaluationId: e.id }} className="item">
                <div className="spread">
                  <h2>{e.cycle.name}</h2>
                  <Badge tone="info">{t.phase[e.phase]}</Badge>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
