import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';

export const factsRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/facts',
  component: lazyRouteComponent(() => import('./page'), 'FactsPage'),
});

export const factsRoutes = [factsRoute] as const;
