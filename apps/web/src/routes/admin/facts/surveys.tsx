import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { Loading, PageHead, ProblemAlert } from '../../../components/basic';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/time';
import { useRegionCode } from '../base';
import { surveysRoute } from './index';
import { FactsTabs, PeriodForm } from './parts';
import { surveysQuery } from './queries';
import type { api, OkBody } from '../../../api/client';

/** a mean or an IKM with two decimals, as the regulation's tables print them */
const fmtMean = (m: number | null, locale: string) => (m === null ? '–' : m.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

export function SurveysPage() {
  const { t: all, locale } = useI18n();
  const t = all.adminFacts.surveys;
  const regionCode = useRegionCode();
  const search = surveysRoute.useSearch();
  const navigate = useNavigate({ from: surveysRoute.fullPath });
  const q = useQuery(surveysQuery(regionCode, search));
  const params = { regionCode };
  return (
    <section aria-label={t.title}>
      <PageHead title={t.title} />
      <FactsTabs />
      <PeriodForm value={search} onApply={(p) => void navigate({ search: p })} problem={q.error} />
      <p>
        <Link to="/admin/$regionCode/facts/poster" params={params} className="btn" data-variant="secondary">
          {t.regionPoster}
        </Link>
      </p>
      {q.error ? <ProblemAlert error={q.error} placed={['/from', '/to']} onRetry={() => void q.refetch()} /> : null}
      {q.isPending ? <Loading /> : null}
      {q.data ? (
        <>
          <dl className="facts-stats">
            <div>
              <dt>{t.total}</dt>
              <dd data-testid="survey-total">{q.data.summary.count}</dd>
            </div>
            <div>
              <dt>{t.mean}</dt>
              <dd>{fmtMean(q.data.summary.mean, locale)}</dd>
            </div>
          </dl>
          {q.data.summary.count === 0 ? <p>{t.none}</p> : null}
          <GroupTable
            id="by-unit-h"
            title={t.byUnit}
            head={t.unit}
            rows={q.data.byUnit.map((g) => ({ ...g, key: g.unit.code, name: g.unit.name, target: { unitCode: g.unit.code } }))}
          />
          {q.data.byService.length ? (
            <GroupTable
              id="by-service-h"
              title={t.byService}
              head={t.service}
              rows={q.data.byService.map((g) => ({ ...g, key: g.service, name: g.service, target: { service: g.service } }))}
            />
          ) : null}
          {q.data.items.length ? (
            <section aria-labelledby="latest-h" className="card">
              <h2 id="latest-h">{t.latest}</h2>
              <div className="facts-table-wrap">
                <table className="facts-table">
                  <thead>
                    <tr>
                      <th scope="col">{t.when}</th>
                      <th scope="col">{t.unit}</th>
                      <th scope="col">{t.score}</th>
                      <th scope="col">{t.comment}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.data.items.map((r) => (
                      <tr key={r.id}>
                        <td>{formatDateTime(r.createdAt, locale)}</td>
                        <td>{r.unit?.name ?? r.service ?? '–'}</td>
                        <td>{r.score}</td>
                        <td>{r.comment ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

type Surveys = OkBody<Awaited<ReturnType<(typeof api.admin.regions)[':regionCode']['surveys']['$get']>>>;
type Group = Pick<Surveys['byUnit'][number], 'count' | 'mean' | 'ikm'> & { key: string; name: string; target: { unitCode?: string; service?: string } };

/** One row per unit or per service: responses, the mean score, the IKM with its mutu, and the poster for it. */
function GroupTable({ id, title, head, rows }: { id: string; title: string; head: string; rows: readonly Group[] }) {
  const { t: all, locale, lang } = useI18n();
  const t = all.adminFacts.surveys;
  const params = { regionCode: useRegionCode() };
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{title}</h2>
      <div className="facts-table-wrap">
        <table className="facts-table">
          <thead>
            <tr>
              <th scope="col">{head}</th>
              <th scope="col">{t.count}</th>
              <th scope="col">{t.mean}</th>
              <th scope="col">{t.ikm}</th>
              <th scope="col">{t.mutu}</th>
              <th scope="col">{t.poster}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((g) => (
              <tr key={g.key}>
                <th scope="row">{g.name}</th>
                <td>{g.count}</td>
                <td>{fmtMean(g.mean, locale)}</td>
                <td>{fmtMean(g.ikm ? g.ikm.ikm : null, locale)}</td>
                <td>{g.ikm ? `${g.ikm.mutu} (${g.ikm.kinerja[lang]})` : '–'}</td>
                <td>
                  <Link to="/admin/$regionCode/facts/poster" params={params} search={g.target} aria-label={t.posterFor(g.name)}>
                    {t.poster}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
