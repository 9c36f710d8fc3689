import { PROBLEMS, type Lang, type ProblemCode } from '@kinerja/domain';

/** One field-level error inside a problem body. `pointer` is an RFC 6901 JSON pointer into the request body. */
export interface FieldError {
  pointer: string;
  field: string;
  code: string;
  message: string;
  /** where the value came from when it is not the JSON body: query, param, header; row for imports */
  in?: 'body' | 'query' | 'param' | 'header';
  row?: number;
}

/** RFC 9457 problem details with Kinerja's extensions (`code`, `requestId`, `errors`). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ProblemCode;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://kinerja.go.id/problems/';

/** Thrown anywhere in a request; the single onError turns it into application/problem+json. */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly detailOverride: { id: string; en: string } | undefined;
  readonly extensions: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ProblemCode,
    opts: {
      errors?: FieldError[];
      detail?: { id: string; en: string } | string;
      extensions?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(typeof opts.detail === 'string' ? opts.detail : (opts.detail?.en ?? PROBLEMS[code].en), { cause: opts.cause });
    this.name = 'ProblemError';
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.errors = opts.errors;
    this.detailOverride = typeof opts.detail === 'string' ? { id: opts.detail, en: opts.detail } : opts.detail;
    this.extensions = opts.extensions;
    this.headers = opts.headers;
  }
}

export const problem = (code: ProblemCode, opts?: ConstructorParameters<typeof ProblemError>[1]) => new ProblemError(code, opts);

const TITLES: Record<ProblemCode, string> = Object.fromEntries(
  Object.keys(PROBLEMS).map((k) => [
    k,
    k
      .toLowerCase()
      .split('_')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' '),
  ]),
) as Record<ProblemCode, string>;

export function problemBody(
  code: ProblemCode,
  lang: Lang,
  instance: string,
  requestId: string,
  opts: { errors?: FieldError[] | undefined; detail?: { id: string; en: string } | undefined; extensions?: Record<string, unknown> | undefined } = {},
): ProblemBody {
  const p = PROBLEMS[code];
  const body: ProblemBody = {
    type: PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-'),
    title: TITLES[code],
    status: p.status,
    detail: opts.detail ? opts.detail[lang] : p[lang],
    instance,
    code,
    requestId,
    ...(opts.extensions ?? {}),
  };
  if (opts.errors && opts.errors.length > 0) body.errors = opts.errors;
  return body;
}

export function problemResponse(body: ProblemBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'x-request-id': body.requestId, ...headers },
  });
}
