import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { evaluationQuery, myEvaluationsQuery } from '../../api/queries';
import { appRoute } from '../base';

/** The supervisor's pages (pejabat penilai, atasan pejabat penilai), under the signed-in layout. */
export const teamRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/team',
  loader: ({ context }) => context.queryClient.ensureQueryData(myEvaluationsQuery('supervisor')),
  component: lazyRouteComponent(() => import('./team'), 'TeamPage'),
});

/** One subordinate's year, where the supervisor acts on it (the inbox links its tasks here). */
export const teamEvaluationRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/team/$evaluationId',
  loader: ({ context, params }) => context.queryClient.ensureQueryData(evaluationQuery(params.evaluationId)),
  component: lazyRouteComponent(() => import('./member'), 'MemberPage'),
});

export const supervisorRoutes = [teamRoute, teamEvaluationRoute] as const;
