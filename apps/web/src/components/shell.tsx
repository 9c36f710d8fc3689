import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, type ReactNode } from 'react';
import { meQuery } from '../api/queries';
import { useI18n } from '../i18n';
import { LanguageSwitch } from './language-switch';

const icon = (d: string) => (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <path d={d} />
  </svg>
);
const ICONS = {
  inbox: icon('M4 13h4l2 3h4l2-3h4M4 13l2-8h12l2 8v6H4z'),
  year: icon('M7 3v4M17 3v4M4 9h16M5 5h14a1 1 0 0 1 1 1v13a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z'),
  team: icon('M16 19v-1a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v1M9 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6M22 19v-1a4 4 0 0 0-3-3.9M16 4.1a3 3 0 0 1 0 5.8'),
  notifications: icon('M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10 21a2 2 0 0 0 4 0'),
  admin: icon('M3 21h18M5 21V8l7-5 7 5v13M9 21v-6h6v6M9 11h.01M15 11h.01'),
  account: icon('M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8'),
} satisfies Record<string, ReactNode>;

/** The signed-in layout: a top bar, the page, and a tab bar (bottom on phones, under the top bar on wide screens). */
export function Shell() {
  const { t } = useI18n();
  const me = useQuery(meQuery);
  const roles = me.data?.roles ?? [];
  const supervises = roles.includes('SUPERVISOR') || roles.includes('REVIEWER');
  const administers = (me.data?.adminRegions.length ?? 0) > 0;
  // an admin without an employee record has no year or tasks of their own
  const employed = me.data ? me.data.employee !== null : true;
  const name = me.data?.employee?.name ?? me.data?.user.displayName;
  const main = useRef<HTMLElement>(null);
  const path = useRouterState({ select: (s) => s.location.pathname });
  const first = useRef(true);
  // after a navigation within the app, focus moves to the new page (a screen reader reads it; Tab starts there)
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [path]);
  return (
    <>
      <a href="#main" className="skip">
        {t.app.skipToContent}
      </a>
      <header className="topbar">
        <Link to={employed ? '/inbox' : '/admin'} className="brand">
          {t.app.name}
        </Link>
        {name ? <span className="who">{name}</span> : null}
        <LanguageSwitch tone="dark" />
      </header>
      <nav className="tabbar" aria-label={t.nav.main}>
        {employed ? (
          <>
            <Link to="/inbox">
              {ICONS.inbox}
              {t.nav.inbox}
            </Link>
            <Link to="/year">
              {ICONS.year}
              {t.nav.year}
            </Link>
          </>
        ) : null}
        {supervises ? (
          <Link to="/team">
            {ICONS.team}
            {t.nav.team}
          </Link>
        ) : null}
        {administers ? (
          <Link to="/admin">
            {ICONS.admin}
            {t.admin.console}
          </Link>
        ) : null}
        <Link to="/notifications">
          {ICONS.notifications}
          {t.nav.notifications}
        </Link>
        <Link to="/account">
          {ICONS.account}
          {t.nav.account}
        </Link>
      </nav>
      <main className="main" id="main" tabIndex={-1} ref={main} data-wide={path.startsWith('/admin') ? '' : undefined}>
        <Outlet />
      </main>
    </>
  );
}
