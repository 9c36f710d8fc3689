/**
 * The request id beyond the HTTP answer: the request middleware keeps it in an AsyncLocalStorage for the request's
 * whole async call tree, and a Temporal client interceptor sends it as a header on every workflow start, signal,
 * update and query the request makes, so the worker can log the id that caused a workflow's command.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Next,
  type WorkflowClientInterceptor,
  type WorkflowQueryInput,
  type WorkflowSignalInput,
  type WorkflowSignalWithStartInput,
  type WorkflowStartInput,
  type WorkflowStartUpdateInput,
  type WorkflowStartUpdateWithStartInput,
} from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { encodeRequestId, REQUEST_ID_HEADER } from '@kinerja/workflows';

export { REQUEST_ID_HEADER };

/** a Temporal header value, as the client's interceptor inputs type it */
type Payload = WorkflowStartInput['headers'][string];

/** an incoming X-Request-Id we adopt: short, and safe in a log line, a header and a Temporal header */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface RequestScope {
  requestId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** the id of the request this code runs for, if it runs for one */
export const currentRequestId = (): string | undefined => requestScope.getStore()?.requestId;

function withRequestId<T extends { readonly headers: Record<string, Payload> }>(input: T): T {
  const requestId = currentRequestId();
  if (requestId === undefined) return input;
  return { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: encodeRequestId(requestId) } };
}

export class RequestIdInterceptor implements WorkflowClientInterceptor {
  start(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'start'>) {
    return next(withRequestId(input));
  }
  startWithDetails(input: WorkflowStartInput, next: Next<WorkflowClientInterceptor, 'startWithDetails'>) {
    return next(withRequestId(input));
  }
  signal(input: WorkflowSignalInput, next: Next<WorkflowClientInterceptor, 'signal'>) {
    return next(withRequestId(input));
  }
  signalWithStart(input: WorkflowSignalWithStartInput, next: Next<WorkflowClientInterceptor, 'signalWithStart'>) {
    return next(withRequestId(input));
  }
  startUpdate(input: WorkflowStartUpdateInput, next: Next<WorkflowClientInterceptor, 'startUpdate'>) {
    return next(withRequestId(input));
  }
  startUpdateWithStart(input: WorkflowStartUpdateWithStartInput, next: Next<WorkflowClientInterceptor, 'startUpdateWithStart'>) {
    // the start's headers and the update's travel separately: both get the id
    const requestId = currentRequestId();
    if (requestId === undefined) return next(input);
    const payload = encodeRequestId(requestId);
    return next({
      ...input,
      workflowStartHeaders: { ...input.workflowStartHeaders, [REQUEST_ID_HEADER]: payload },
      updateHeaders: { ...input.updateHeaders, [REQUEST_ID_HEADER]: payload },
    });
  }
  query(input: WorkflowQueryInput, next: Next<WorkflowClientInterceptor, 'query'>) {
    return next(withRequestId(input));
  }
}

/**
 * The interceptors for the API's Temporal Client (`new Client({ connection, interceptors: temporalClientInterceptors() })`):
 * the request id, and the active OpenTelemetry span (observability/tracing.ts) as the parent of the workflow's.
 */
export function temporalClientInterceptors(): { workflow: WorkflowClientInterceptor[] } {
  return { workflow: [new RequestIdInterceptor(), new OpenTelemetryWorkflowClientInterceptor()] };
}
