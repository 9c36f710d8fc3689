import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';

/** The region's overview: the current cycle's dashboard. */
export const overviewRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./page'), 'OverviewPage'),
});

export const cyclesRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/cycles',
  component: lazyRouteComponent(() => import('./page'), 'CyclesPage'),
});

export const cyclesRoutes = [overviewRoute, cyclesRoute] as const;
