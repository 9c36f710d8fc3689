import type { UnitPredikat } from '@kinerja/domain';
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';
import { UNIT_PREDIKATS } from './bounds';
import { calibrationQuery, currentCycle, cycleQuery, cyclesQuery, reportQuery, ruleSetsQuery } from './queries';

/**
 * The region's overview (the current cycle's dashboard) and the cycles: the list, opening one, a cycle's report with
 * its exports, and one unit's calibration. Each loader fetches the page's data so code and data arrive together.
 */
export const overviewRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/',
  loader: async ({ context: { queryClient }, params: { regionCode } }) => {
    const list = await queryClient.ensureQueryData(cyclesQuery(regionCode));
    const cycle = currentCycle(list);
    // with no cycle the page says how to start, and whether a version is published yet
    await (cycle ? queryClient.ensureQueryData(reportQuery(regionCode, cycle.id)) : queryClient.ensureQueryData(ruleSetsQuery(regionCode)));
  },
  component: lazyRouteComponent(() => import('./overview'), 'OverviewPage'),
});

export const cyclesRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/cycles',
});

export const cycleListRoute = createRoute({
  getParentRoute: () => cyclesRoute,
  path: '/',
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(cyclesQuery(params.regionCode)),
  component: lazyRouteComponent(() => import('./list'), 'CyclesPage'),
});

export const openCycleRoute = createRoute({
  getParentRoute: () => cyclesRoute,
  path: '/new',
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(ruleSetsQuery(params.regionCode)),
  component: lazyRouteComponent(() => import('./open'), 'OpenCyclePage'),
});

export const cycleRoute = createRoute({
  getParentRoute: () => cyclesRoute,
  path: '/$cycleId',
  loader: ({ context: { queryClient }, params: { regionCode, cycleId } }) =>
    Promise.all([queryClient.ensureQueryData(cycleQuery(regionCode, cycleId)), queryClient.ensureQueryData(reportQuery(regionCode, cycleId))]),
  component: lazyRouteComponent(() => import('./cycle'), 'CyclePage'),
});

export interface CalibrationSearch {
  /** the unit predikat the distribution is checked against (default: the one stored for the unit) */
  predikat?: UnitPredikat;
}
export const readCalibrationSearch = (s: Record<string, unknown>): CalibrationSearch =>
  UNIT_PREDIKATS.includes(s.predikat as UnitPredikat) ? { predikat: s.predikat as UnitPredikat } : {};

export const calibrationRoute = createRoute({
  getParentRoute: () => cyclesRoute,
  path: '/$cycleId/units/$unitId',
  validateSearch: readCalibrationSearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient }, params: { regionCode, cycleId, unitId }, deps }) =>
    queryClient.ensureQueryData(calibrationQuery(regionCode, cycleId, unitId, deps.predikat)),
  component: lazyRouteComponent(() => import('./calibration'), 'CalibrationPage'),
});

export const cyclesRoutes = [overviewRoute, cyclesRoute.addChildren([cycleListRoute, openCycleRoute, cycleRoute, calibrationRoute])] as const;
