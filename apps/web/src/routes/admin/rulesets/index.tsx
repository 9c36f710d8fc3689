import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';
import { ruleSetsQuery, versionQuery } from './queries';

/**
 * /admin/$regionCode/rule-sets: the list (with the copy of a pack), and one version's page (the editor, the calendar
 * form, simulation, dry run, diff and publish). The editor's code (CodeMirror) loads with the version page only.
 */
export const ruleSetsRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/rule-sets',
});

export const ruleSetListRoute = createRoute({
  getParentRoute: () => ruleSetsRoute,
  path: '/',
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(ruleSetsQuery(params.regionCode)),
  component: lazyRouteComponent(() => import('./page'), 'RuleSetsPage'),
});

export const ruleSetVersionRoute = createRoute({
  getParentRoute: () => ruleSetsRoute,
  path: '/$ruleSetId/versions/$versionId',
  loader: ({ context: { queryClient }, params }) =>
    Promise.all([
      queryClient.ensureQueryData(versionQuery(params.regionCode, params.ruleSetId, params.versionId)),
      queryClient.ensureQueryData(ruleSetsQuery(params.regionCode)),
    ]),
  component: lazyRouteComponent(() => import('./version'), 'VersionPage'),
});

export const rulesetsRoutes = [ruleSetsRoute.addChildren([ruleSetListRoute, ruleSetVersionRoute])] as const;
