import { Link, Outlet } from '@tanstack/react-router';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import './org.css';

/** The organisation section's frame: its three views as tabs above the page. */
export function OrgPage() {
  const t = useT();
  const regionCode = useRegionCode();
  const params = { regionCode };
  return (
    <div className="org">
      <nav aria-label={t.adminOrg.sections} className="org-tabs">
        <Link to="/admin/$regionCode/org" params={params} activeOptions={{ exact: true, includeSearch: false }}>
          {t.adminOrg.employeesTab}
        </Link>
        <Link to="/admin/$regionCode/org/units" params={params}>
          {t.adminOrg.unitsTab}
        </Link>
        <Link to="/admin/$regionCode/org/import" params={params}>
          {t.adminOrg.importTab}
        </Link>
      </nav>
      <Outlet />
    </div>
  );
}
