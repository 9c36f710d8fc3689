import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, ok, type OkBody } from '../../../api/client';

/**
 * The organisation section's reads, each one request; the keys start with the region so a mutation invalidates
 * what it changed in that region only.
 */
/** the region's admin routes (each call names the region in `param`) */
export const orgApi = api.admin.regions[':regionCode'];
type Region = typeof orgApi;

export type UnitList = OkBody<Awaited<ReturnType<Region['units']['$get']>>>;
export type Unit = UnitList['items'][number];
export type EmployeeList = OkBody<Awaited<ReturnType<Region['employees']['$get']>>>;
export type EmployeeRow = EmployeeList['items'][number];
export type EmployeeDetail = OkBody<Awaited<ReturnType<Region['employees'][':employeeId']['$get']>>>;
export type DelegationList = OkBody<Awaited<ReturnType<Region['delegations']['$get']>>>;
export type Delegation = DelegationList['items'][number];
export type PositionKind = EmployeeDetail['positionKind'];
export type EmployeeStatus = EmployeeDetail['status'];
export type DelegationKind = Delegation['kind'];

export const orgKeys = {
  all: (regionCode: string) => ['admin', regionCode, 'org'] as const,
  units: (regionCode: string) => ['admin', regionCode, 'org', 'units'] as const,
  employees: (regionCode: string) => ['admin', regionCode, 'org', 'employees'] as const,
  employee: (regionCode: string, id: string) => ['admin', regionCode, 'org', 'employee', id] as const,
  delegations: (regionCode: string) => ['admin', regionCode, 'org', 'delegations'] as const,
};

export const unitsQuery = (regionCode: string) =>
  queryOptions({
    queryKey: orgKeys.units(regionCode),
    queryFn: () => ok(orgApi.units.$get({ param: { regionCode } })),
    // the tree changes only by an admin's hand: reuse it across the section's pages
    staleTime: 60_000,
  });

/** What the employee list shows: the URL's search params hold it, so a link reproduces the view. */
export interface EmployeeFilter {
  q?: string;
  unit?: string;
  status?: EmployeeStatus;
  page?: number;
}
export const PAGE_SIZE = 25;

export const employeesQuery = (regionCode: string, f: EmployeeFilter) =>
  queryOptions({
    queryKey: [...orgKeys.employees(regionCode), f] as const,
    queryFn: () =>
      ok(
        orgApi.employees.$get({
          param: { regionCode },
          query: {
            limit: String(PAGE_SIZE),
            page: String(f.page ?? 1),
            ...(f.q ? { q: f.q } : {}),
            ...(f.unit ? { unitCode: f.unit } : {}),
            ...(f.status ? { status: f.status } : {}),
          },
        }),
      ),
    // typing in the search keeps the last page on screen until the next one arrives
    placeholderData: keepPreviousData,
  });

export const employeeQuery = (regionCode: string, employeeId: string) =>
  queryOptions({
    queryKey: orgKeys.employee(regionCode, employeeId),
    queryFn: () => ok(orgApi.employees[':employeeId'].$get({ param: { regionCode, employeeId } })),
  });

export const delegationsQuery = (regionCode: string) =>
  queryOptions({
    queryKey: orgKeys.delegations(regionCode),
    queryFn: () => ok(orgApi.delegations.$get({ param: { regionCode }, query: {} })),
  });
