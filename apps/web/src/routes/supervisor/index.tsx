import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { evaluationQuery, meQuery, myEvaluationsQuery } from '../../api/queries';
import { appRoute } from '../base';

/**
 * The supervisor's pages (pejabat penilai, atasan pejabat penilai), under the signed-in layout. Each loads its data
 * in the loader: the shell's /me (cached) and one request of its own (the team lists carry the user's open tasks).
 */
export const teamRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/team',
  loader: ({ context: { queryClient } }) => Promise.all([queryClient.ensureQueryData(meQuery), queryClient.ensureQueryData(myEvaluationsQuery('supervisor'))]),
  component: lazyRouteComponent(() => import('./team'), 'TeamPage'),
});

/** The keberatan the signed-in atasan pejabat penilai decides. */
export const appealsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/team/appeals',
  loader: ({ context: { queryClient } }) => Promise.all([queryClient.ensureQueryData(meQuery), queryClient.ensureQueryData(myEvaluationsQuery('reviewer'))]),
  component: lazyRouteComponent(() => import('./appeals'), 'AppealsPage'),
});

/** One subordinate's year, where the supervisor (or the reviewer) acts on it (the inbox links its tasks here). */
export const teamEvaluationRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/team/$evaluationId',
  loader: ({ context: { queryClient }, params }) =>
    Promise.all([queryClient.ensureQueryData(meQuery), queryClient.ensureQueryData(evaluationQuery(params.evaluationId))]),
  component: lazyRouteComponent(() => import('./member'), 'MemberPage'),
});

export const supervisorRoutes = [teamRoute, appealsRoute, teamEvaluationRoute] as const;
