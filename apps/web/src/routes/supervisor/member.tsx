import type { TaskKind } from '@kinerja/domain';
import { useSuspenseQuery } from '@tanstack/react-query';
import type { MouseEvent } from 'react';
import { Link, useParams } from '@tanstack/react-router';
import { evaluationQuery, meQuery } from '../../api/queries';
import { Alert, Badge, Countdown, PageHead } from '../../components/basic';
import { Documents } from '../../components/documents';
import { useI18n } from '../../i18n';
import { periodsOf } from '../../lib/evaluation';
import { AnnualSection } from './annual-section';
import { AppealSection } from './appeal-section';
import { PeriodsSection } from './period-section';
import { SkpSection } from './skp-section';
import { standingOf } from './standing';
import './supervisor.css';

/** The heading of the section where a task is done (the sections' ids). */
const SECTION_OF: Record<TaskKind, (period: number | null) => string> = {
  SUBMIT_TARGETS: () => 'sv-skp-h',
  APPROVE_TARGETS: () => 'sv-skp-h',
  SUBMIT_REPORT: (p) => (p === null ? 'sv-periods-h' : `sv-period-${p}-h`),
  REVIEW_PERIOD: (p) => (p === null ? 'sv-periods-h' : `sv-period-${p}-h`),
  ANNUAL_RATING: () => 'sv-annual-h',
  RESPOND_APPEAL: () => 'sv-appeal-h',
  DECIDE_APPEAL: () => 'sv-appeal-h',
};

/** Scroll to a section of this page without a navigation (the router keeps the page as it is). */
function jumpTo(ev: MouseEvent<HTMLAnchorElement>, id: string) {
  const target = document.getElementById(id);
  if (!target) return;
  ev.preventDefault();
  target.scrollIntoView({ block: 'start' });
}

/** One subordinate's year as the supervisor (or the atasan pejabat penilai) sees it and acts on it. */
export function MemberPage() {
  const { t } = useI18n();
  const { evaluationId } = useParams({ from: '/app/team/$evaluationId' });
  const { data: me } = useSuspenseQuery(meQuery);
  const { data } = useSuspenseQuery(evaluationQuery(evaluationId));
  const e = data.evaluation;
  const phase = data.workflow?.phase ?? e.phase;
  const standing = standingOf(me, data);
  const labelOf = (period: number) => periodsOf(data).find((p) => p.period === period)?.label ?? String(period);
  const rated = phase !== 'TARGET_SETTING' && phase !== 'PERIODIC';
  const escalated = standing.myTasks.some((task) => task.escalated);

  return (
    <div className="sv-page">
      <p>
        <Link to={standing.supervisor || !standing.reviewer ? '/team' : '/team/appeals'}>← {t.app.back}</Link>
      </p>
      <PageHead title={e.employee.name} intro={`${e.employee.nip} · ${e.employee.position}`}>
        <div className="row">
          <Badge tone="info">{t.phase[phase]}</Badge>
          <span className="muted small">{e.cycle.name}</span>
        </div>
      </PageHead>
      {data.workflowError ? <Alert tone="warn">{t.supervisor.member.workflowUnavailable}</Alert> : null}
      {data.workflow?.closedReason ? <Alert tone="warn">{t.asn.year.closed(data.workflow.closedReason)}</Alert> : null}
      {standing.actingFor ? <Alert tone="info">{t.supervisor.member.actingFor}</Alert> : null}
      {escalated ? <Alert tone="warn">{t.supervisor.member.escalatedTo}</Alert> : null}

      <section className="card" aria-labelledby="sv-tasks-h">
        <h2 id="sv-tasks-h">{t.supervisor.member.yourTasks}</h2>
        {standing.myTasks.length === 0 ? <p className="muted">{t.supervisor.member.noTasks}</p> : null}
        <ul className="list">
          {standing.myTasks.map((task, i) => {
            const overdue = !!task.dueAt && Date.parse(task.dueAt) < Date.now();
            return (
              <li key={i} className="spread">
                <span>
                  <a href={`#${SECTION_OF[task.kind](task.period)}`} onClick={(ev) => jumpTo(ev, SECTION_OF[task.kind](task.period))}>
                    <strong>{t.taskKind[task.kind]}</strong>
                  </a>
                  {task.period !== null ? <span className="muted"> · {t.inbox.period(labelOf(task.period))}</span> : null}
                  <br />
                  <span className="small">{task.dueAt ? <Countdown dueAt={task.dueAt} /> : t.time.noDeadline}</span>
                </span>
                <span className="row">
                  {overdue ? <Badge tone="bad">{t.supervisor.team.overdue}</Badge> : null}
                  {task.escalated ? <Badge tone="warn">{t.supervisor.team.escalated}</Badge> : null}
                  {task.actingForId && !task.escalated ? <Badge tone="info">{t.supervisor.team.actingFor}</Badge> : null}
                </span>
              </li>
            );
          })}
        </ul>
      </section>

      <AppealSection data={data} standing={standing} />
      {/* the step of the year that is now comes first */}
      {rated ? <AnnualSection data={data} standing={standing} /> : null}
      <SkpSection data={data} standing={standing} />
      <PeriodsSection data={data} standing={standing} />
      {rated ? null : <AnnualSection data={data} standing={standing} />}
      <Documents evaluationId={evaluationId} phase={phase} />
    </div>
  );
}
