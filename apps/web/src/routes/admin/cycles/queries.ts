import type { UnitPredikat } from '@kinerja/domain';
import { queryOptions } from '@tanstack/react-query';
import { api, ok, type OkBody } from '../../../api/client';

/** The cycles section's reads; the keys start with the region so a change invalidates that region only. */
export const cycleApi = api.admin.regions[':regionCode'];
type Region = typeof cycleApi;
type OneCycle = Region['cycles'][':cycleId'];

export type CycleList = OkBody<Awaited<ReturnType<Region['cycles']['$get']>>>;
export type Cycle = CycleList['items'][number];
export type CycleStatus = Cycle['status'];
export type CycleWithProgress = OkBody<Awaited<ReturnType<OneCycle['$get']>>>;
export type CycleReport = OkBody<Awaited<ReturnType<OneCycle['report']['$get']>>>;
export type UnitReport = CycleReport['units'][number];
export type CalibrationPreview = OkBody<Awaited<ReturnType<OneCycle['units'][':unitId']['calibration']['$get']>>>;
export type CalibrationResult = OkBody<Awaited<ReturnType<OneCycle['units'][':unitId']['calibration']['$post']>>>;
export type RuleSetList = OkBody<Awaited<ReturnType<Region['rule-sets']['$get']>>>;

export const cycleKeys = {
  all: (regionCode: string) => ['admin', regionCode, 'cycles'] as const,
  list: (regionCode: string) => ['admin', regionCode, 'cycles', 'list'] as const,
  cycle: (regionCode: string, cycleId: string) => ['admin', regionCode, 'cycles', cycleId] as const,
  report: (regionCode: string, cycleId: string) => ['admin', regionCode, 'cycles', cycleId, 'report'] as const,
  calibration: (regionCode: string, cycleId: string, unitId: string) => ['admin', regionCode, 'cycles', cycleId, 'calibration', unitId] as const,
  /** the rule-set section's key for the same list: its publish invalidates this list too */
  ruleSets: (regionCode: string) => ['admin', regionCode, 'rule-sets'] as const,
};

export const cyclesQuery = (regionCode: string) =>
  queryOptions({ queryKey: cycleKeys.list(regionCode), queryFn: () => ok(cycleApi.cycles.$get({ param: { regionCode } })) });

/** How often a page asks again while a cycle's fan-out runs (the progress bar). */
const OPENING_POLL_MS = 1000;

export const cycleQuery = (regionCode: string, cycleId: string) =>
  queryOptions({
    queryKey: cycleKeys.cycle(regionCode, cycleId),
    queryFn: () => ok(cycleApi.cycles[':cycleId'].$get({ param: { regionCode, cycleId } })),
    refetchInterval: (q) => (q.state.data && !q.state.data.progress.done ? OPENING_POLL_MS : false),
  });

export const reportQuery = (regionCode: string, cycleId: string) =>
  queryOptions({
    queryKey: cycleKeys.report(regionCode, cycleId),
    queryFn: () => ok(cycleApi.cycles[':cycleId'].report.$get({ param: { regionCode, cycleId }, query: {} })),
    // the year moves by itself (deadlines pass, supervisors act): an open dashboard stays current
    refetchInterval: 30_000,
  });

export const calibrationQuery = (regionCode: string, cycleId: string, unitId: string, unitPredikat: UnitPredikat | undefined) =>
  queryOptions({
    queryKey: [...cycleKeys.calibration(regionCode, cycleId, unitId), unitPredikat ?? null] as const,
    queryFn: () =>
      ok(
        cycleApi.cycles[':cycleId'].units[':unitId'].calibration.$get({
          param: { regionCode, cycleId, unitId },
          query: unitPredikat ? { unitPredikat } : {},
        }),
      ),
    // evaluations arrive in CALIBRATION one by one as their supervisors rate the year
    refetchInterval: 15_000,
  });

export const ruleSetsQuery = (regionCode: string) =>
  queryOptions({ queryKey: cycleKeys.ruleSets(regionCode), queryFn: () => ok(cycleApi['rule-sets'].$get({ param: { regionCode } })) });

/** The published versions, newest first, as the open form offers them. */
export function publishedVersions(list: RuleSetList | undefined) {
  return (list?.items ?? [])
    .flatMap((rs) => rs.versions.filter((v) => v.status === 'PUBLISHED').map((v) => ({ ...v, ruleSet: rs.name })))
    .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''));
}

/** The cycle the overview shows: the newest year that is not closed, else the newest. */
export const currentCycle = (list: CycleList | undefined): Cycle | undefined => list?.items.find((c) => c.status !== 'CLOSED') ?? list?.items[0];
