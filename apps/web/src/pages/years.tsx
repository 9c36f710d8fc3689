import { useSuspenseQuery } from '@tanstack/react-query';
import { Link, Navigate } from '@tanstack/react-router';
import { myEvaluationsQuery } from '../api/queries';
import { Badge, PageHead } from '../components/basic';
import { useT } from '../i18n';
import { scoreOf } from '../lib/evaluation';

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
          {data.items.map((e) => {
            const score = scoreOf(e.scores);
            return (
              <li key={e.id} className="card">
                <Link to="/year/$evaluationId" params={{ evaluationId: e.id }} className="item">
                  <div className="spread">
                    <h2>{e.cycle.name}</h2>
                    <div className="row">
                      <Badge tone="info">{t.phase[e.phase]}</Badge>
                      {score ? <Badge tone="ok">{t.predikat[score.predikat]}</Badge> : null}
                    </div>
                  </div>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
