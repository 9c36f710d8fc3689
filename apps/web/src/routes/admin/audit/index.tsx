import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';

export const auditRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/audit',
  component: lazyRouteComponent(() => import('./page'), 'AuditPage'),
});

export const auditRoutes = [auditRoute] as const;
