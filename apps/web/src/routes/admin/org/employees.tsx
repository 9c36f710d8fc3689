import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { Badge, Loading, PageHead, ProblemAlert } from '../../../components/basic';
import { SelectField } from '../../../components/select';
import { TextField } from '../../../components/ui';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { employeesQuery, PAGE_SIZE, unitsQuery, type EmployeeFilter, type EmployeeStatus } from './queries';
import { unitOptions } from './unit-tree';

const route = getRouteApi('/app/admin/$regionCode/org/');
/** the wait after the last keystroke before the search runs */
const DEBOUNCE_MS = 300;
const ALL = '*';

/** The region's employees, paged by the API; search, filters and page live in the URL. */
export function EmployeesPage() {
  const t = useT();
  const regionCode = useRegionCode();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const units = useQuery(unitsQuery(regionCode));
  const list = useQuery(employeesQuery(regionCode, search));
  const setFilter = (f: Partial<EmployeeFilter>, replace = false) => void navigate({ search: (prev) => ({ ...prev, ...f, page: undefined }), replace });

  const [text, setText] = useState(search.q ?? '');
  // the URL moved on by itself (back, a link): the box shows what the list shows
  useEffect(() => setText((cur) => (cur.trim() === (search.q ?? '') ? cur : (search.q ?? ''))), [search.q]);
  useEffect(() => {
    const q = text.trim();
    if (q === (search.q ?? '')) return;
    const id = setTimeout(() => setFilter({ q: q || undefined }, true), DEBOUNCE_MS);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change of the text starts the wait
  }, [text]);

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const page = search.page ?? 1;
  const filtered = Boolean(search.q ?? search.unit ?? search.status);
  return (
    <>
      <PageHead title={t.adminOrg.list.title} />
      <form role="search" aria-label={t.adminOrg.list.filters} className="org-filters" onSubmit={(e) => e.preventDefault()}>
        <TextField label={t.adminOrg.list.search} description={t.adminOrg.list.searchHelp} value={text} onChange={setText} name="q" />
        <SelectField
          label={t.adminOrg.field.unit}
          value={search.unit ?? ALL}
          onChange={(v) => setFilter({ unit: v === ALL ? undefined : v })}
          options={[{ id: ALL, label: t.adminOrg.list.anyUnit }, ...unitOptions(units.data?.items ?? [])]}
        />
        <SelectField<EmployeeStatus | typeof ALL>
          label={t.adminOrg.field.status}
          value={search.status ?? ALL}
          onChange={(v) => setFilter({ status: v === ALL ? undefined : v })}
          options={[
            { id: ALL, label: t.adminOrg.list.anyStatus },
            { id: 'ACTIVE', label: t.adminOrg.status.ACTIVE },
            { id: 'LEFT', label: t.adminOrg.status.LEFT },
          ]}
        />
        {filtered ? (
          <Link to="/admin/$regionCode/org" params={{ regionCode }} search={{}} className="btn" data-variant="ghost">
            {t.adminOrg.list.clear}
          </Link>
        ) : null}
      </form>
      <ProblemAlert error={list.error ?? units.error} onRetry={() => void list.refetch()} />
      {!data ? (
        list.isPending ? (
          <Loading />
        ) : null
      ) : (
        <>
          <p className="org-total" role="status" aria-live="polite">
            {t.adminOrg.list.total(data.total)}
            {list.isFetching ? ` · ${t.app.loading}` : ''}
          </p>
          {data.items.length === 0 ? (
            <p>{t.adminOrg.list.empty}</p>
          ) : (
            <table className="plain org-table">
              <caption className="sr-only">{t.adminOrg.list.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.adminOrg.field.nip}</th>
                  <th scope="col">{t.adminOrg.field.name}</th>
                  <th scope="col">{t.adminOrg.field.position}</th>
                  <th scope="col">{t.adminOrg.field.unit}</th>
                  <th scope="col">{t.adminOrg.field.status}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((e) => (
                  <tr key={e.id}>
                    <td data-label={t.adminOrg.field.nip} className="nip">
                      {e.nip}
                    </td>
                    <td data-label={t.adminOrg.field.name}>
                      <Link to="/admin/$regionCode/org/employees/$employeeId" params={{ regionCode, employeeId: e.id }}>
                        {e.name}
                      </Link>
                    </td>
                    <td data-label={t.adminOrg.field.position}>
                      {e.position}
                      <span className="muted small"> · {t.adminOrg.positionKind[e.positionKind]}</span>
                    </td>
                    <td data-label={t.adminOrg.field.unit}>{e.unit.name}</td>
                    <td data-label={t.adminOrg.field.status}>
                      <Badge tone={e.status === 'ACTIVE' ? 'ok' : 'neutral'}>{t.adminOrg.status[e.status]}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {pages > 1 ? (
            <nav aria-label={t.adminOrg.list.paging} className="org-paging">
              {page > 1 ? (
                <Link
                  to="/admin/$regionCode/org"
                  params={{ regionCode }}
                  search={{ ...search, page: page - 1 > 1 ? page - 1 : undefined }}
                  className="btn"
                  data-variant="secondary"
                >
                  {t.adminOrg.list.prev}
                </Link>
              ) : null}
              <span aria-current="page">{t.adminOrg.list.page(page, pages)}</span>
              {page < pages ? (
                <Link to="/admin/$regionCode/org" params={{ regionCode }} search={{ ...search, page: page + 1 }} className="btn" data-variant="secondary">
                  {t.adminOrg.list.next}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}
