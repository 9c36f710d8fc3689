import { useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { myEvaluationsQuery } from '../../api/queries';
import { Badge, PageHead } from '../../components/basic';
import { useT } from '../../i18n';
import { scoreOf } from '../../lib/evaluation';

/** The employees the signed-in supervisor rates, with each one's phase and annual predikat. */
export function TeamPage() {
  const t = useT();
  const { data } = useSuspenseQuery(myEvaluationsQuery('supervisor'));
  return (
    <>
      <PageHead title={t.supervisor.team.title} intro={t.supervisor.team.intro} />
      {data.items.length === 0 ? (
        <div className="card">
          <p>{t.supervisor.team.empty}</p>
        </div>
      ) : (
        <ul className="list">
          {data.items.map((e) => {
            const annual = scoreOf(e.scores);
            return (
              <li key={e.id} className="card">
                <Link to="/team/$evaluationId" params={{ evaluationId: e.id }} className="item">
                  <div className="spread">
                    <div>
                      <h2 style={{ fontSize: '1.05rem' }}>{e.employee.name}</h2>
                      <p className="muted small">
                        {e.employee.nip} · {e.employee.position}
                      </p>
                    </div>
                    <div className="row">
                      <Badge tone="info">{t.phase[e.phase]}</Badge>
                      {annual ? <Badge tone="ok">{t.predikat[annual.predikat]}</Badge> : null}
                    </div>
                  </div>
                  <p className="muted small">{e.cycle.name}</p>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
