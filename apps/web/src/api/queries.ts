import { queryOptions } from '@tanstack/react-query';
import { api, ok, type OkBody } from './client';

/**
 * The queries the pages share, each one request. Response types come from the typed client: nothing here
 * declares what the API answers.
 */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: () => ok(api.me.$get()),
  staleTime: 5 * 60_000,
});
export type Me = OkBody<Awaited<ReturnType<typeof api.me.$get>>>;

export const tasksQuery = queryOptions({
  queryKey: ['me', 'tasks'],
  queryFn: () => ok(api.me.tasks.$get({ query: { status: 'OPEN', sort: 'dueAt', limit: '100' } })),
  refetchInterval: 60_000,
});
export type TaskList = OkBody<Awaited<ReturnType<typeof api.me.tasks.$get>>>;

export const myEvaluationsQuery = (as: 'employee' | 'supervisor' | 'reviewer') =>
  queryOptions({
    queryKey: ['me', 'evaluations', as],
    queryFn: () => ok(api.me.evaluations.$get({ query: { as } })),
  });
export type EvaluationList = OkBody<Awaited<ReturnType<typeof api.me.evaluations.$get>>>;

export const evaluationQuery = (id: string) =>
  queryOptions({
    queryKey: ['evaluation', id],
    queryFn: () => ok(api.evaluations[':id'].$get({ param: { id } })),
    // the year moves on by itself (periods open, deadlines pass, the supervisor acts): keep an open page current
    refetchInterval: 30_000,
  });
export type EvaluationDetail = OkBody<Awaited<ReturnType<(typeof api.evaluations)[':id']['$get']>>>;
