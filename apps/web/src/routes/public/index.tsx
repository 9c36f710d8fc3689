import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { rootRoute } from '../base';

/** What a link (the QR poster's) preselects in the form. */
export interface SurveySearch {
  unitCode?: string;
  service?: string;
}

/** The region's public survey form: no sign-in, for citizens on a phone (the QR poster points here). */
export const surveyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/survey/$regionCode',
  validateSearch: (s: Record<string, unknown>): SurveySearch => ({
    ...(typeof s.unitCode === 'string' && s.unitCode ? { unitCode: s.unitCode } : {}),
    ...(typeof s.service === 'string' && s.service ? { service: s.service } : {}),
  }),
  component: lazyRouteComponent(() => import('./page'), 'SurveyPage'),
});

export const publicRoutes = [surveyRoute] as const;
