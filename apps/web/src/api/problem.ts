/**
 * Every API error is an RFC 9457 problem (application/problem+json). The app shows its `detail` (and under it the
 * `reason` extension, the workflow's own words when it refused a command) and puts each `errors[]` entry next to
 * the field its JSON `pointer` names.
 */

import type { InferResponseType } from 'hono/client';
import type { api } from './client';

/** The API's problem body, as the typed client knows it (every route answers the same Problem schema). */
export type Problem = InferResponseType<(typeof api.me)['$get'], 401>;
export type FieldProblem = NonNullable<Problem['errors']>[number];

/**
 * What the app reads of a failed response: a problem body, or as much of one as a response that is not one (a
 * proxy's error page) gives.
 */
type ProblemLike = Pick<Problem, 'status'> & Partial<Omit<Problem, 'status'>>;

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId: string | undefined;
  /** why the workflow refused (409 CONFLICT, WRONG_PHASE, …): the `reason` extension, when it says more than `detail` */
  readonly reason: string | undefined;
  readonly errors: FieldProblem[];
  readonly extensions: Record<string, unknown>;

  constructor(p: ProblemLike & Record<string, unknown>) {
    super(p.detail ?? p.title ?? `HTTP ${p.status}`);
    this.name = 'ApiProblem';
    this.status = p.status;
    this.code = p.code ?? 'UNKNOWN';
    this.detail = p.detail ?? p.title ?? `HTTP ${p.status}`;
    this.requestId = p.requestId;
    const reason = typeof p.reason === 'string' ? p.reason.trim() : '';
    this.reason = reason && reason !== this.detail ? reason : undefined;
    this.errors = Array.isArray(p.errors) ? p.errors.filter(isFieldProblem) : [];
    this.extensions = p;
  }
}

/** The request never reached the API (offline, DNS, a proxy that dropped it). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network', { cause });
    this.name = 'NetworkError';
  }
}

/** Only entries that name a field and say what is wrong are shown next to fields. */
function isFieldProblem(e: unknown): e is FieldProblem {
  return typeof e === 'object' && e !== null && typeof (e as FieldProblem).pointer === 'string' && typeof (e as FieldProblem).message === 'string';
}

/** Read a failed response as a problem; a body that is not one (a proxy's HTML page) still becomes one. */
export async function problemFrom(res: Response): Promise<ApiProblem> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    return new ApiProblem({ ...b, status: typeof b.status === 'number' ? b.status : res.status });
  }
  return new ApiProblem({ status: res.status, title: res.statusText || `HTTP ${res.status}` });
}

/** RFC 6901 pointer of a path in the request body: ['rhk', 0, 'title'] → "/rhk/0/title". */
export function pointer(...path: (string | number)[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * The field messages by pointer. A message for a pointer no field shows (e.g. "/rhk" when the list itself is
 * wrong) is found by `messagesUnder`, so nothing the API said is lost.
 */
export function fieldMessages(problem: unknown): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (!(problem instanceof ApiProblem)) return map;
  for (const e of problem.errors) {
    const list = map.get(e.pointer) ?? [];
    list.push(e.message);
    map.set(e.pointer, list);
  }
  return map;
}

/** Messages of pointers not in `shown`: the form lists them above its fields. */
export function unplacedMessages(problem: unknown, shown: ReadonlySet<string>): FieldProblem[] {
  if (!(problem instanceof ApiProblem)) return [];
  return problem.errors.filter((e) => !shown.has(e.pointer));
}
