import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { Loading, PageHead, ProblemAlert } from '../../../components/basic';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/time';
import { useRegionCode } from '../base';
import { surveysRoute } from './index';
import { FactsTabs, PeriodForm } from './parts';
import { surveysQuery } from './queries';

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
    <section aria-labelledby="surveys-h">
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
          <section aria-labelledby="by-unit-h" className="card">
            <h2 id="by-unit-h">{t.byUnit}</h2>
            <div className="facts-table-wrap">
              <table className="facts-table">
                <thead>
                  <tr>
                    <th scope="col">{t.unit}</th>
                    <th scope="col">{t.count}</th>
                    <th scope="col">{t.mean}</th>
                    <th scope="col">{t.poster}</th>
                  </tr>
                </thead>
                <tbody>
                  {q.data.byUnit.map((g) => (
                    <tr key={g.unit.code}>
                      <th scope="row">{g.unit.name}</th>
                      <td>{g.count}</td>
                      <td>{fmtMean(g.mean, locale)}</td>
                      <td>
                        <Link to="/admin/$regionCode/facts/poster" params={params} search={{ unitCode: g.unit.code }} aria-label={t.posterFor(g.unit.name)}>
                          {t.poster}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {q.data.byService.length ? (
            <section aria-labelledby="by-service-h" className="card">
              <h2 id="by-service-h">{t.byService}</h2>
              <div className="facts-table-wrap">
                <table className="facts-table">
                  <thead>
                    <tr>
                      <th scope="col">{t.service}</th>
                      <th scope="col">{t.count}</th>
                      <th scope="col">{t.mean}</th>
                      <th scope="col">{t.poster}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.data.byService.map((g) => (
                      <tr key={g.service}>
                        <th scope="row">{g.service}</th>
                        <td>{g.count}</td>
                        <td>{fmtMean(g.mean, locale)}</td>
                        <td>
                          <Link to="/admin/$regionCode/facts/poster" params={params} search={{ service: g.service }} aria-label={t.posterFor(g.service)}>
                            {t.poster}
                          </Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
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
