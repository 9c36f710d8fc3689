import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { api, ok, plain, type OkBody } from '../../../api/client';
import { problemFrom } from '../../../api/problem';
import { importContentType } from '../org/import-stream';

export const factsApi = api.admin.regions[':regionCode'];
type Region = typeof factsApi;

/** The period filter both lists share (YYYY-MM-DD, inclusive; empty: open). */
export interface Period {
  from?: string;
  to?: string;
}

export const attendanceSummaryQuery = (regionCode: string, period: Period, page: number) =>
  queryOptions({
    queryKey: ['admin', regionCode, 'attendance', period, page],
    queryFn: () => ok(factsApi.attendance.summary.$get({ param: { regionCode }, query: { ...period, page: String(page), limit: '50' } })),
    placeholderData: keepPreviousData,
  });
export type AttendanceSummary = OkBody<Awaited<ReturnType<Region['attendance']['summary']['$get']>>>;

export const surveysQuery = (regionCode: string, period: Period) =>
  queryOptions({
    queryKey: ['admin', regionCode, 'surveys', period],
    queryFn: () => ok(factsApi.surveys.$get({ param: { regionCode }, query: { ...period, limit: '20' } })),
    placeholderData: keepPreviousData,
  });
export type SurveyList = OkBody<Awaited<ReturnType<Region['surveys']['$get']>>>;

/** The public form's data (region name, units): the poster names them. */
export type SurveyForm = OkBody<Awaited<ReturnType<(typeof plain.public.regions)[':regionCode']['survey-form']['$get']>>>;
export const surveyFormQuery = (regionCode: string) =>
  queryOptions({
    queryKey: ['public', regionCode, 'survey-form'],
    queryFn: () => ok(plain.public.regions[':regionCode']['survey-form'].$get({ param: { regionCode } })),
    staleTime: 5 * 60_000,
  });

type ImportPost = Region['attendance']['import']['$post'];
export type AttendanceReport = InferResponseType<ImportPost, 200>;

/** Send the file's bytes as they are (CSV or XLSX); a refused file throws its 422 problem with the row-by-row errors. */
export async function importAttendance(regionCode: string, file: File, dryRun: boolean): Promise<AttendanceReport> {
  const res = (await factsApi.attendance.import.$post(
    // the typed arguments describe the JSON form; this request's body and headers are the init's
    { param: { regionCode }, query: { dryRun: dryRun ? 'true' : 'false' } } as Parameters<ImportPost>[0],
    { init: { body: file, headers: { 'content-type': importContentType(file) } } },
  )) as unknown as Response;
  if (!res.ok) throw await problemFrom(res);
  return (await res.json()) as AttendanceReport;
}
