import { PROBLEMS, type ProblemCode } from '@kinerja/domain';
import {
  ApplicationFailure,
  ServiceError,
  TemporalFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';
import { ProblemError, type FieldError } from './problem.js';

function findApplicationFailure(err: unknown): ApplicationFailure | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 6 && cur; i++) {
    if (cur instanceof ApplicationFailure) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The fields a workflow validator named (`details[0].errors`: pointer, code, message), as the problem's errors[]. */
function fieldErrors(detail: unknown): FieldError[] | undefined {
  const list = (detail as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(list)) return undefined;
  const out = list.flatMap((e: { pointer?: unknown; code?: unknown; message?: unknown }) =>
    typeof e?.pointer === 'string' && typeof e.message === 'string'
      ? [
          {
            pointer: e.pointer,
            field: e.pointer.split('/').pop() ?? '',
            code: typeof e.code === 'string' ? e.code : 'invalid',
            message: e.message,
            in: 'body' as const,
          },
        ]
      : [],
  );
  return out.length ? out : undefined;
}

/**
 * Workflow update rejections carry an ApplicationFailure whose `type` is a ProblemCode (WRONG_PHASE, FORBIDDEN,
 * CONFLICT, DEADLINE_PASSED, NOT_FOUND, VALIDATION_FAILED ...). Unknown types become 409 CONFLICT: the workflow said
 * no, which is a state problem, not a server fault. Returns null for errors that are not Temporal's.
 */
export function problemFromTemporal(err: unknown): ProblemError | null {
  if (err instanceof WorkflowUpdateFailedError || (err instanceof TemporalFailure && findApplicationFailure(err))) {
    const failure = findApplicationFailure(err);
    const type = failure?.type ?? '';
    const code: ProblemCode = type in PROBLEMS && PROBLEMS[type as ProblemCode].status < 500 ? (type as ProblemCode) : 'CONFLICT';
    const reason = failure?.message;
    const errors = code === 'VALIDATION_FAILED' ? fieldErrors(failure?.details?.[0]) : undefined;
    return new ProblemError(code, { cause: err, extensions: reason ? { reason } : {}, ...(errors ? { errors } : {}) });
  }
  if (err instanceof WorkflowNotFoundError) return new ProblemError('NOT_FOUND', { cause: err });
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new ProblemError('SERVICE_UNAVAILABLE', { cause: err });
  if (err instanceof ServiceError || isGrpcServiceError(err)) return new ProblemError('SERVICE_UNAVAILABLE', { cause: err });
  return null;
}
