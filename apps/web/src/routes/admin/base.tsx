import { useQuery } from '@tanstack/react-query';
import { createRoute, Link, Outlet, redirect, useNavigate } from '@tanstack/react-router';
import { meQuery } from '../../api/queries';
import { useT } from '../../i18n';
import { appRoute } from '../base';

/**
 * The admin console hangs under /admin/$regionCode: the region is part of every admin URL, so a link names what it
 * shows and an admin of several regions switches between them without losing the page. Authorisation stays the
 * API's (it answers 404 for a region the user does not administer); this layout only keeps non-admins out of a
 * console that would show them nothing.
 */
export const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin',
  beforeLoad: async ({ context: { queryClient } }) => {
    const me = await queryClient.ensureQueryData(meQuery);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown by design
    if (me.adminRegions.length === 0) throw redirect({ to: '/inbox' });
    return { adminRegions: me.adminRegions };
  },
});

/** /admin: the first region the user administers. */
export const adminIndexRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/',
  beforeLoad: ({ context: { adminRegions } }) => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown by design
    throw redirect({ to: '/admin/$regionCode', params: { regionCode: adminRegions[0]!.code } });
  },
});

export const regionRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '$regionCode',
  component: AdminLayout,
});

/** The region of the admin page being shown. */
export const useRegionCode = () => regionRoute.useParams().regionCode;

function AdminLayout() {
  const t = useT();
  const regionCode = useRegionCode();
  const me = useQuery(meQuery);
  const navigate = useNavigate();
  const regions = me.data?.adminRegions ?? [];
  const params = { regionCode };
  const links = [
    { to: '/admin/$regionCode', label: t.admin.nav.overview, exact: true },
    { to: '/admin/$regionCode/org', label: t.admin.nav.org, exact: false },
    { to: '/admin/$regionCode/rule-sets', label: t.admin.nav.ruleSets, exact: false },
    { to: '/admin/$regionCode/cycles', label: t.admin.nav.cycles, exact: false },
    { to: '/admin/$regionCode/facts', label: t.admin.nav.facts, exact: false },
    { to: '/admin/$regionCode/audit', label: t.admin.nav.audit, exact: false },
  ] as const;
  return (
    <div className="admin">
      <div className="admin-bar">
        <nav aria-label={t.admin.nav.label} className="admin-nav">
          {links.map((l) => (
            <Link key={l.to} to={l.to} params={params} activeOptions={{ exact: l.exact }}>
              {l.label}
            </Link>
          ))}
        </nav>
        {regions.length > 1 ? (
          <label className="admin-region">
            <span>{t.admin.region}</span>
            <select value={regionCode} onChange={(e) => void navigate({ to: '/admin/$regionCode', params: { regionCode: e.target.value } })}>
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="admin-region">{regions.find((r) => r.code === regionCode)?.name ?? regionCode}</span>
        )}
      </div>
      <Outlet />
    </div>
  );
}
