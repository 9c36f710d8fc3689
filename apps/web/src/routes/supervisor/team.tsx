import { useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { meQuery, myEvaluationsQuery } from '../../api/queries';
import { Badge, Countdown, PageHead } from '../../components/basic';
import { useT } from '../../i18n';
import { scoreOf } from '../../lib/evaluation';
import { isActingTask, myIds, type Task } from './standing';
import './supervisor.css';

/** The list carries the user's open tasks (the countdowns run here): fetch it again as often as the inbox. */
export const TASKS_REFRESH_MS = 60_000;

/** One waiting task as a line: what, for which period, the countdown, and why it is the user's. */
export function TaskLine({ task, withEmployee, linked }: { task: Task; withEmployee?: boolean; linked?: boolean }) {
  const t = useT();
  const body = (
    <>
      <div className="spread">
        <span>
          <strong>{t.taskKind[task.kind]}</strong>
          {task.period !== null ? <span className="muted"> · {t.inbox.period(String(task.period))}</span> : null}
        </span>
        <span className="row">
          {task.overdue ? <Badge tone="bad">{t.supervisor.team.overdue}</Badge> : null}
          {task.escalated ? <Badge tone="warn">{t.supervisor.team.escalated}</Badge> : null}
          {isActingTask(task) && !task.escalated ? <Badge tone="info">{t.supervisor.team.actingFor}</Badge> : null}
        </span>
      </div>
      {withEmployee ? <p className="muted small">{t.inbox.forEmployee(task.evaluation.employee.name)}</p> : null}
      <p className="small">{task.dueAt ? <Countdown dueAt={task.dueAt} /> : <span className="muted">{t.time.noDeadline}</span>}</p>
    </>
  );
  return (
    <li className="sv-task">
      {linked ? (
        <Link to="/team/$evaluationId" params={{ evaluationId: task.evaluation.id }} className="item">
          {body}
        </Link>
      ) : (
        body
      )}
    </li>
  );
}

/** The employees the signed-in supervisor rates: each one's phase, what waits for the supervisor and what is overdue. */
export function TeamPage() {
  const t = useT();
  const { data: me } = useSuspenseQuery(meQuery);
  const { data: team } = useSuspenseQuery({ ...myEvaluationsQuery('supervisor'), refetchInterval: TASKS_REFRESH_MS });
  const selfId = me.employee?.id;
  const ids = myIds(me);
  // tasks on evaluations outside the team (escalated to the user, keberatan they decide); the API leaves out the user's own year
  const others = team.otherTasks;
  const rows = team.items
    .map((e) => {
      const waiting = e.openTasks;
      return { e, waiting, overdue: waiting.filter((x) => x.overdue).length };
    })
    .sort((a, b) => b.overdue - a.overdue || b.waiting.length - a.waiting.length || a.e.employee.name.localeCompare(b.e.employee.name));
  const overdueTotal = rows.reduce((n, r) => n + r.overdue, 0);
  const reviewer = me.roles.includes('REVIEWER');

  return (
    <>
      <PageHead title={t.supervisor.team.title} intro={t.supervisor.team.intro}>
        {team.items.length ? (
          <p>
            <Badge tone={overdueTotal ? 'bad' : 'ok'}>{t.supervisor.team.summary(team.items.length, overdueTotal)}</Badge>
          </p>
        ) : null}
        {reviewer ? (
          <p>
            <Link to="/team/appeals">{t.supervisor.team.appealsLink}</Link>
          </p>
        ) : null}
      </PageHead>
      {rows.length === 0 ? (
        <div className="card">
          <p>{t.supervisor.team.empty}</p>
        </div>
      ) : (
        <ul className="list sv-grid">
          {rows.map(({ e, waiting }) => {
            const annual = scoreOf(e.scores);
            const acting = e.supervisorId !== null && e.supervisorId !== selfId && ids.has(e.supervisorId);
            return (
              <li key={e.id} className="card">
                <Link to="/team/$evaluationId" params={{ evaluationId: e.id }} className="item">
                  <div className="spread">
                    <div>
                      <h2 className="sv-name">{e.employee.name}</h2>
                      <p className="muted small">
                        {e.employee.nip} · {e.employee.position}
                      </p>
                    </div>
                    <div className="row">
                      <Badge tone="info">{t.phase[e.phase]}</Badge>
                      {annual ? <Badge tone="ok">{t.predikat[annual.predikat]}</Badge> : null}
                      {acting ? <Badge tone="info">{t.supervisor.team.actingFor}</Badge> : null}
                    </div>
                  </div>
                  <p className="muted small">{e.cycle.name}</p>
                </Link>
                {waiting.length ? (
                  <>
                    <p className="small">
                      <strong>{t.supervisor.team.waiting(waiting.length)}</strong>
                    </p>
                    <ul className="list sv-tasks">
                      {waiting.map((task) => (
                        <TaskLine key={task.id} task={task} />
                      ))}
                    </ul>
                  </>
                ) : (
                  <p className="muted small">{t.supervisor.team.nothingWaiting}</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {others.length ? (
        <section className="card" aria-labelledby="sv-other-h">
          <h2 id="sv-other-h">{t.supervisor.team.otherTasks}</h2>
          <p className="muted small">{t.supervisor.team.otherTasksIntro}</p>
          <ul className="list sv-tasks">
            {others.map((task) => (
              <TaskLine key={task.id} task={task} withEmployee linked />
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
