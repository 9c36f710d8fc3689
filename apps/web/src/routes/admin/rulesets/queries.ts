import { queryOptions } from '@tanstack/react-query';
import { api, ok, type OkBody } from '../../../api/client';

/** The rule-set section's reads and writes; keys start with the region so a change invalidates that region only. */
export const rsApi = api.admin.regions[':regionCode'];
type Region = typeof rsApi;
type Versions = Region['rule-sets'][':ruleSetId']['versions'][':versionId'];

export type RuleSetList = OkBody<Awaited<ReturnType<Region['rule-sets']['$get']>>>;
export type RuleSetItem = RuleSetList['items'][number];
export type RuleSetVersion = OkBody<Awaited<ReturnType<Versions['$get']>>>;
export type DraftEdited = OkBody<Awaited<ReturnType<Versions['$put']>>>;
export type ValidationError = DraftEdited['validation']['errors'][number];
export type SimulationAnswer = OkBody<Awaited<ReturnType<Versions['simulate']['$post']>>>;
export type FactsSimulation = Extract<SimulationAnswer, { mode: 'facts' }>;
export type EmployeesDryRun = Extract<SimulationAnswer, { mode: 'employees' }>;
export type SimulationRun = OkBody<Awaited<ReturnType<Region['simulations'][':runId']['$get']>>>;
export type RuleSetDiff = OkBody<Awaited<ReturnType<Region['rule-sets'][':ruleSetId']['diff']['$get']>>>;

export const rsKeys = {
  all: (regionCode: string) => ['admin', regionCode, 'rule-sets'] as const,
  version: (regionCode: string, versionId: string) => ['admin', regionCode, 'rule-sets', 'version', versionId] as const,
  diff: (regionCode: string, from: string, to: string) => ['admin', regionCode, 'rule-sets', 'diff', from, to] as const,
  run: (regionCode: string, runId: string) => ['admin', regionCode, 'rule-sets', 'run', runId] as const,
};

export const ruleSetsQuery = (regionCode: string) =>
  queryOptions({ queryKey: rsKeys.all(regionCode), queryFn: () => ok(rsApi['rule-sets'].$get({ param: { regionCode } })) });

export const versionQuery = (regionCode: string, ruleSetId: string, versionId: string) =>
  queryOptions({
    queryKey: rsKeys.version(regionCode, versionId),
    queryFn: () => ok(rsApi['rule-sets'][':ruleSetId'].versions[':versionId'].$get({ param: { regionCode, ruleSetId, versionId } })),
  });

export const diffQuery = (regionCode: string, ruleSetId: string, from: string, to: string) =>
  queryOptions({
    queryKey: rsKeys.diff(regionCode, from, to),
    queryFn: () => ok(rsApi['rule-sets'][':ruleSetId'].diff.$get({ param: { regionCode, ruleSetId }, query: { from, to } })),
  });

/** A background dry run, polled until it is no longer RUNNING. */
export const runQuery = (regionCode: string, runId: string) =>
  queryOptions({
    queryKey: rsKeys.run(regionCode, runId),
    queryFn: () => ok(rsApi.simulations[':runId'].$get({ param: { regionCode, runId } })),
    refetchInterval: (q) => (q.state.data?.status === 'RUNNING' ? 1000 : false),
  });
