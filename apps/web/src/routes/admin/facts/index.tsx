import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';

/** The period filter in the URL (YYYY-MM-DD), so a shared link shows the same selection. */
export interface PeriodSearch {
  from?: string;
  to?: string;
}
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const periodSearch = (s: Record<string, unknown>): PeriodSearch => ({
  ...(typeof s.from === 'string' && DATE.test(s.from) ? { from: s.from } : {}),
  ...(typeof s.to === 'string' && DATE.test(s.to) ? { to: s.to } : {}),
});

export const factsRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/facts',
  validateSearch: periodSearch,
  component: lazyRouteComponent(() => import('./page'), 'FactsPage'),
});

export const surveysRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/facts/surveys',
  validateSearch: periodSearch,
  component: lazyRouteComponent(() => import('./surveys'), 'SurveysPage'),
});

/** What the poster's QR code preselects in the public form. */
export interface PosterSearch {
  unitCode?: string;
  service?: string;
}
export const posterRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/facts/poster',
  validateSearch: (s: Record<string, unknown>): PosterSearch => ({
    ...(typeof s.unitCode === 'string' && s.unitCode ? { unitCode: s.unitCode } : {}),
    ...(typeof s.service === 'string' && s.service ? { service: s.service } : {}),
  }),
  component: lazyRouteComponent(() => import('./poster'), 'PosterPage'),
});

export const factsRoutes = [factsRoute, surveysRoute, posterRoute] as const;
