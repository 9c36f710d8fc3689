import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';

export const orgRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/org',
  component: lazyRouteComponent(() => import('./page'), 'OrgPage'),
});

export const orgRoutes = [orgRoute] as const;
