import { createRoute, lazyRouteComponent, redirect } from '@tanstack/react-router';
import { evaluationQuery, meQuery, myEvaluationsQuery, tasksQuery } from '../../api/queries';
import { appRoute } from '../base';

/**
 * Everyone's pages and the ASN's year. Each page's code loads on first visit (lazy), its data in the loader so
 * code and data arrive together; a page needs at most two requests (the shell's /me, cached, and its own).
 */
export const inboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/inbox',
  // an admin without an employee record has no tasks: their start page is the console
  beforeLoad: async ({ context: { queryClient } }) => {
    const me = await queryClient.ensureQueryData(meQuery);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown by design
    if (me.employee === null && me.adminRegions.length > 0) throw redirect({ to: '/admin' });
  },
  loader: ({ context }) => context.queryClient.ensureQueryData(tasksQuery),
  component: lazyRouteComponent(() => import('../../pages/inbox'), 'InboxPage'),
});

export const notificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/notifications',
  component: lazyRouteComponent(() => import('../../pages/notifications'), 'NotificationsPage'),
});

export const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  loader: ({ context }) => context.queryClient.ensureQueryData(meQuery),
  component: lazyRouteComponent(() => import('../../pages/account'), 'AccountPage'),
});

export const yearsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/year',
  loader: ({ context }) => context.queryClient.ensureQueryData(myEvaluationsQuery('employee')),
  component: lazyRouteComponent(() => import('../../pages/years'), 'YearsPage'),
});

export const yearRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/year/$evaluationId',
  loader: ({ context, params }) => context.queryClient.ensureQueryData(evaluationQuery(params.evaluationId)),
  component: lazyRouteComponent(() => import('../../pages/year'), 'YearPage'),
});

export const skpRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/year/$evaluationId/skp',
  loader: ({ context, params }) => context.queryClient.ensureQueryData(evaluationQuery(params.evaluationId)),
  component: lazyRouteComponent(() => import('../../pages/skp'), 'SkpPage'),
});

export const periodRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/year/$evaluationId/periods/$period',
  loader: ({ context, params }) => context.queryClient.ensureQueryData(evaluationQuery(params.evaluationId)),
  component: lazyRouteComponent(() => import('../../pages/period'), 'PeriodPage'),
});

export const resultRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/year/$evaluationId/result',
  loader: ({ context, params }) => context.queryClient.ensureQueryData(evaluationQuery(params.evaluationId)),
  component: lazyRouteComponent(() => import('../../pages/result'), 'ResultPage'),
});

export const asnRoutes = [inboxRoute, notificationsRoute, accountRoute, yearsRoute, yearRoute, skpRoute, periodRoute, resultRoute] as const;
