import type { InferResponseType } from 'hono/client';
import { ApiProblem, problemFrom } from '../../../api/problem';
import { orgApi } from './queries';

type ImportPost = (typeof orgApi)['employees']['import']['$post'];
/** The 200 answers: the JSON report, or (NDJSON) one progress, result or error line. */
type ImportAnswer = InferResponseType<ImportPost, 200>;
export type ImportLine = Extract<ImportAnswer, { type: string }>;
export type ImportProgress = Extract<ImportLine, { type: 'progress' }>;
export type ImportResult = Extract<ImportLine, { type: 'result' }>;

/** What the file's name says it is; the API reads the body by its content type. */
export function importContentType(file: File): string {
  if (/\.xlsx$/i.test(file.name)) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return 'text/csv';
}

/**
 * Send the file's bytes as they are (CSV or XLSX) and read the NDJSON answer: each progress line goes to
 * `onProgress`, the last line is the result (or the failure, thrown as a problem). A refused file (422 with the
 * row-by-row errors) throws its problem before any line.
 */
export async function importEmployees(regionCode: string, file: File, onProgress: (p: ImportProgress) => void): Promise<ImportResult> {
  const call = orgApi.employees.import.$post(
    // the typed arguments describe the JSON form; this request's body and headers are the init's
    { param: { regionCode } } as Parameters<ImportPost>[0],
    // the body is the file itself (a Blob can be sent again when the access token is renewed)
    { init: { body: file, headers: { 'content-type': importContentType(file), accept: 'application/x-ndjson' } } },
  );
  const res = (await call) as unknown as Response;
  if (!res.ok) throw await problemFrom(res);
  if (!res.body) throw new ApiProblem({ status: res.status, code: 'INTERNAL' });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let last: ImportLine | null = null;
  const take = (text: string) => {
    if (!text.trim()) return;
    const line = JSON.parse(text) as ImportLine;
    last = line;
    if (line.type === 'progress') onProgress(line);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      take(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
    }
  }
  take(buffer);
  const end = last as ImportLine | null;
  if (end?.type === 'result') return end;
  throw new ApiProblem({ status: 500, code: end?.type === 'error' ? end.code : 'INTERNAL', ...(end?.type === 'error' ? { detail: end.detail } : {}) });
}
