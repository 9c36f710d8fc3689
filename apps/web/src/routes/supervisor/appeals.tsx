import { useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { myEvaluationsQuery } from '../../api/queries';
import { Badge, PageHead } from '../../components/basic';
import { useT } from '../../i18n';
import { scoreOf } from '../../lib/evaluation';
import { TaskLine, TASKS_REFRESH_MS } from './team';
import './supervisor.css';

/** The atasan pejabat penilai's list: keberatan in progress first (with their tasks), then everyone else they review. */
export function AppealsPage() {
  const t = useT();
  const { data: reviewed } = useSuspenseQuery({ ...myEvaluationsQuery('reviewer'), refetchInterval: TASKS_REFRESH_MS });
  // the API lists the reviewed evaluations with the user's open tasks on each, never the user's own year
  const appealTasks = new Map(reviewed.items.map((e) => [e.id, e.openTasks.filter((task) => task.kind === 'DECIDE_APPEAL')] as const));
  const inProgress = reviewed.items.filter((e) => e.phase === 'APPEAL' || (appealTasks.get(e.id)?.length ?? 0) > 0);
  const others = reviewed.items.filter((e) => !inProgress.includes(e));

  const card = (e: (typeof reviewed.items)[number]) => {
    const annual = scoreOf(e.scores);
    const waiting = appealTasks.get(e.id) ?? [];
    return (
      <li key={e.id} className="card">
        <Link to="/team/$evaluationId" params={{ evaluationId: e.id }} className="item">
          <div className="spread">
            <div>
              <h3 className="sv-name">{e.employee.name}</h3>
              <p className="muted small">
                {e.employee.nip} · {e.employee.position}
              </p>
            </div>
            <div className="row">
              <Badge tone={e.phase === 'APPEAL' ? 'warn' : 'info'}>{t.phase[e.phase]}</Badge>
              {annual ? <Badge tone="ok">{t.predikat[annual.predikat]}</Badge> : null}
            </div>
          </div>
        </Link>
        {waiting.length ? (
          <ul className="list sv-tasks">
            {waiting.map((task) => (
              <TaskLine key={task.id} task={task} />
            ))}
          </ul>
        ) : null}
      </li>
    );
  };

  return (
    <>
      <p>
        <Link to="/team">← {t.supervisor.team.title}</Link>
      </p>
      <PageHead title={t.supervisor.appeals.title} intro={t.supervisor.appeals.intro} />
      <section aria-labelledby="sv-appeals-now-h">
        <h2 id="sv-appeals-now-h">{t.supervisor.appeals.inProgress}</h2>
        {inProgress.length === 0 ? (
          <div className="card">
            <p>{t.supervisor.appeals.none}</p>
          </div>
        ) : (
          <ul className="list sv-grid">{inProgress.map(card)}</ul>
        )}
      </section>
      {others.length ? (
        <section aria-labelledby="sv-appeals-others-h" style={{ marginTop: 20 }}>
          <h2 id="sv-appeals-others-h">{t.supervisor.appeals.others}</h2>
          <ul className="list sv-grid">{others.map(card)}</ul>
        </section>
      ) : null}
    </>
  );
}
