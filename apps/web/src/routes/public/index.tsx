import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { rootRoute } from '../base';

/** The region's public survey form: no sign-in, for citizens on a phone (the QR poster points here). */
export const surveyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/survey/$regionCode',
  component: lazyRouteComponent(() => import('./page'), 'SurveyPage'),
});

export const publicRoutes = [surveyRoute] as const;
