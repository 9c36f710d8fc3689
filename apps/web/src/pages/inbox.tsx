import { useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { tasksQuery, type TaskList } from '../api/queries';
import { Badge, Countdown, PageHead } from '../components/basic';
import { useT } from '../i18n';

type Task = TaskList['items'][number];

/** The ASN's own steps open in the year; a supervisor's open on the subordinate's page. */
const OWN_KINDS: ReadonlySet<Task['kind']> = new Set(['SUBMIT_TARGETS', 'SUBMIT_REPORT']);

function TaskLink({ task, children }: { task: Task; children: React.ReactNode }) {
  const evaluationId = task.evaluation.id;
  if (task.kind === 'SUBMIT_TARGETS')
    return (
      <Link to="/year/$evaluationId/skp" params={{ evaluationId }} className="item">
        {children}
      </Link>
    );
  if (task.kind === 'SUBMIT_REPORT' && task.period !== null)
    return (
      <Link to="/year/$evaluationId/periods/$period" params={{ evaluationId, period: String(task.period) }} className="item">
        {children}
      </Link>
    );
  if (OWN_KINDS.has(task.kind))
    return (
      <Link to="/year/$evaluationId" params={{ evaluationId }} className="item">
        {children}
      </Link>
    );
  return (
    <Link to="/team/$evaluationId" params={{ evaluationId }} className="item">
      {children}
    </Link>
  );
}

export function InboxPage() {
  const t = useT();
  const { data } = useSuspenseQuery(tasksQuery);
  return (
    <>
      <PageHead title={t.inbox.title} intro={data.items.length ? t.inbox.count(data.total) : undefined} />
      {data.items.length === 0 ? (
        <div className="card center">
          <p>{t.inbox.empty}</p>
        </div>
      ) : (
        <ul className="list">
          {data.items.map((task) => (
            <li key={task.id} className="card task">
              <TaskLink task={task}>
                <div className="spread">
                  <h2 style={{ fontSize: '1.05rem' }}>{t.taskKind[task.kind]}</h2>
                  <div className="row">
                    {task.overdue ? <Badge tone="bad">{t.inbox.overdue}</Badge> : null}
                    {task.escalated ? <Badge tone="warn">{t.inbox.escalated}</Badge> : null}
                    {task.actingForId ? <Badge tone="info">{t.inbox.actingFor}</Badge> : null}
                  </div>
                </div>
                {!OWN_KINDS.has(task.kind) ? <p className="muted">{t.inbox.forEmployee(task.evaluation.employee.name)}</p> : null}
                {task.period !== null ? <p className="muted">{t.inbox.period(String(task.period))}</p> : null}
                <p>{task.dueAt ? <Countdown dueAt={task.dueAt} /> : <span className="muted">{t.time.noDeadline}</span>}</p>
              </TaskLink>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
