import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, lazyRouteComponent, Link, Outlet, redirect, type ErrorComponentProps } from '@tanstack/react-router';
import { ProblemAlert } from '../components/basic';
import { Shell } from '../components/shell';
import { hasSession, type EndReason } from '../api/session';
import { useT } from '../i18n';

export interface RouterContext {
  queryClient: QueryClient;
}

/**
 * Any error a page throws while loading or rendering ends here: the problem's message, never a blank page. Inside
 * the shell it fills the page's place; at the root (the shell itself failed) it is the whole page.
 */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const t = useT();
  return (
    <section aria-labelledby="error-h">
      <h1 id="error-h">{t.errors.title}</h1>
      <ProblemAlert error={error} onRetry={reset} />
      <Link to="/inbox" className="btn" data-variant="secondary">
        {t.errors.toInbox}
      </Link>
    </section>
  );
}

function RootError(props: ErrorComponentProps) {
  return (
    <main className="main" id="main">
      <RouteError {...props} />
    </main>
  );
}

function NotFound() {
  const t = useT();
  return (
    <main className="main" id="main">
      <h1>{t.errors.notFoundTitle}</h1>
      <p>{t.errors.notFound}</p>
      <Link to="/inbox" className="btn">
        {t.errors.toInbox}
      </Link>
    </main>
  );
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  errorComponent: RootError,
  notFoundComponent: NotFound,
});

const END_REASONS: readonly EndReason[] = ['expired', 'signed-out', 'everywhere', 'password'];

export interface SignInSearch {
  reason?: EndReason;
  /** where to go after signing in (an app path) */
  redirect?: string;
}

export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  component: lazyRouteComponent(() => import('../pages/sign-in'), 'SignInPage'),
  // signed in already: go on to the inbox (a session the API no longer accepts comes back here with its reason)
  beforeLoad: ({ search }) => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown by design
    if (hasSession() && !search.reason) throw redirect({ to: search.redirect ?? '/inbox' });
  },
  validateSearch: (s: Record<string, unknown>): SignInSearch => ({
    ...(END_REASONS.includes(s.reason as EndReason) ? { reason: s.reason as EndReason } : {}),
    // only a path of this app, never another origin
    ...(typeof s.redirect === 'string' && s.redirect.startsWith('/') && !s.redirect.startsWith('//') ? { redirect: s.redirect } : {}),
  }),
});

/** Every page behind sign-in hangs under this layout: the shell, and the check that a session exists. */
export const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: ({ location }) => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown by design
    if (!hasSession()) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
  },
  component: Shell,
});

export const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown by design
    throw redirect({ to: hasSession() ? '/inbox' : '/sign-in' });
  },
});
