import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { regionRoute } from '../base';
import { delegationsQuery, employeeQuery, employeesQuery, unitsQuery, type EmployeeFilter, type EmployeeStatus } from './queries';

/**
 * /admin/$regionCode/org: the employees (the section's start), the unit tree, the import and one employee's page.
 * Each route loads its data in the loader, so code and data arrive together; the unit list is shared (cached).
 */
export const orgRoute = createRoute({
  getParentRoute: () => regionRoute,
  path: '/org',
  component: lazyRouteComponent(() => import('./page'), 'OrgPage'),
});

const STATUSES: readonly EmployeeStatus[] = ['ACTIVE', 'LEFT'];

/** The list's view from the URL: anything unreadable is dropped, never an error page. */
export function readEmployeeFilter(s: Record<string, unknown>): EmployeeFilter {
  const q = typeof s.q === 'string' ? s.q.trim().slice(0, 100) : '';
  const unit = typeof s.unit === 'string' ? s.unit.trim() : '';
  const page = Number(s.page);
  return {
    ...(q ? { q } : {}),
    ...(unit ? { unit } : {}),
    ...(STATUSES.includes(s.status as EmployeeStatus) ? { status: s.status as EmployeeStatus } : {}),
    ...(Number.isInteger(page) && page > 1 ? { page } : {}),
  };
}

export const orgEmployeesRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/',
  validateSearch: readEmployeeFilter,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient }, params, deps }) =>
    Promise.all([queryClient.ensureQueryData(unitsQuery(params.regionCode)), queryClient.ensureQueryData(employeesQuery(params.regionCode, deps))]),
  component: lazyRouteComponent(() => import('./employees'), 'EmployeesPage'),
});

export const orgUnitsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/units',
  loader: ({ context: { queryClient }, params }) => queryClient.ensureQueryData(unitsQuery(params.regionCode)),
  component: lazyRouteComponent(() => import('./units'), 'UnitsPage'),
});

export const orgImportRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/import',
  component: lazyRouteComponent(() => import('./import'), 'ImportPage'),
});

export const orgEmployeeRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: '/employees/$employeeId',
  loader: ({ context: { queryClient }, params }) =>
    Promise.all([
      queryClient.ensureQueryData(employeeQuery(params.regionCode, params.employeeId)),
      queryClient.ensureQueryData(unitsQuery(params.regionCode)),
      queryClient.ensureQueryData(delegationsQuery(params.regionCode)),
    ]),
  component: lazyRouteComponent(() => import('./employee'), 'EmployeePage'),
});

export const orgRoutes = [orgRoute.addChildren([orgEmployeesRoute, orgUnitsRoute, orgImportRoute, orgEmployeeRoute])] as const;
