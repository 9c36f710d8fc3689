import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';

/** The search form's fields, kept in the URL so a search can be shared and survives a reload. */
export interface AuditSearch {
  nip?: string;
  actor?: string;
  kind?: string;
  from?: string;
  to?: string;
}
const KEYS = ['nip', 'actor', 'kind', 'from', 'to'] as const;

export const auditRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/audit',
  validateSearch: (s: Record<string, unknown>): AuditSearch =>
    Object.fromEntries(KEYS.flatMap((k) => (typeof s[k] === 'string' && s[k] ? [[k, s[k]]] : []))) as AuditSearch,
  component: lazyRouteComponent(() => import('./page'), 'AuditPage'),
});

export const auditRoutes = [auditRoute] as const;
