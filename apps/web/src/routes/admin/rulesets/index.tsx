import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';

export const ruleSetsRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/rule-sets',
  component: lazyRouteComponent(() => import('./page'), 'RuleSetsPage'),
});

export const rulesetsRoutes = [ruleSetsRoute] as const;
