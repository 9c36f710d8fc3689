import { useSuspenseQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { evaluationQuery } from '../../api/queries';
import { Badge, PageHead } from '../../components/basic';
import { useT } from '../../i18n';
import { periodsOf, periodTone, skpStatusOf } from '../../lib/evaluation';

/** One subordinate's year as the supervisor sees it. */
export function MemberPage() {
  const t = useT();
  const { evaluationId } = useParams({ from: '/app/team/$evaluationId' });
  const { data } = useSuspenseQuery(evaluationQuery(evaluationId));
  const e = data.evaluation;
  const now = Date.now();
  const skp = skpStatusOf(data);
  return (
    <>
      <PageHead title={e.employee.name} intro={`${e.employee.nip} · ${e.employee.position}`}>
        <Badge tone="info">{t.phase[data.workflow?.phase ?? e.phase]}</Badge>
      </PageHead>
      <section className="card">
        <div className="spread">
          <h2>{t.asn.year.skp}</h2>
          <Badge tone={skp === 'APPROVED' ? 'ok' : 'info'}>{t.asn.skpStatus[skp]}</Badge>
        </div>
      </section>
      <ul className="list">
        {periodsOf(data).map((p) => (
          <li key={p.period} className="card spread">
            <span>{p.label ?? p.period}</span>
            <Badge tone={periodTone(p, now)}>{t.asn.reportState[p.state]}</Badge>
          </li>
        ))}
      </ul>
    </>
  );
}
