/**
 * The SDK's OpenTelemetry workflow interceptors, for the workflows that are traced and only for those. This is the
 * workflow interceptor module the worker bundles in their place (`workflowInterceptorModules`).
 *
 * Loaded as they are, the SDK's interceptors cost every workflow the same, traced or not. Temporal evaluates a
 * workflow's modules once per workflow, so each creation or re-caching pays for OpenTelemetry's API, its SDK and
 * semantic conventions (hundreds of kilobytes of constants). Each activation records spans and hands them to the
 * exporter sink. And each cached workflow keeps one more AsyncLocalStorage enabled. On Node 20 every promise the
 * workflow thread creates is tagged by every enabled storage of every cached workflow
 * (temporalio/sdk-typescript#1432), so the cost of a promise grows with the cache.
 *
 * So the module stays unevaluated until a call arrives whose headers carry a trace context: a W3C `traceparent` under
 * the interceptors' header, which the callers' interceptors put there only when a tracer provider is registered
 * (the API's and the worker's with `OTEL_EXPORTER_OTLP_ENDPOINT`). From that call on the workflow is traced as
 * before, its later calls and the activities and children it starts included. A workflow nobody traces never loads
 * OpenTelemetry.
 *
 * Determinism: the decision is read from the calls' headers, which are in the history, so a replay makes it at the
 * same call. The interceptors change only headers and spans, never the commands a workflow emits.
 */
import { defaultPayloadConverter, type Payload, type WorkflowInterceptors } from '@temporalio/workflow';
import type * as OpenTelemetryModule from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';

/** the header the SDK's OpenTelemetry interceptors carry the context in (their TRACE_HEADER) */
export const TRACE_HEADER = '_tracer-data';

/** The bundler resolves this `require` statically into the same bundle; it is evaluated at the first traced call. */
declare const require: (id: '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors') => typeof OpenTelemetryModule;

/** Whether `headers` carry a trace context: a carrier with a `traceparent`, not the empty one an untraced caller sends. */
export function carriesTrace(headers: Record<string, Payload>): boolean {
  const payload = headers[TRACE_HEADER];
  if (!payload) return false;
  try {
    const carrier = defaultPayloadConverter.fromPayload<unknown>(payload);
    return typeof carrier === 'object' && carrier !== null && typeof (carrier as Record<string, unknown>).traceparent === 'string';
  } catch {
    return false;
  }
}

type Loaded = ReturnType<typeof OpenTelemetryModule.interceptors>;
type Headers = Record<string, Payload>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each interceptor method has its own input and next
type Method = (input: any, next: (input: any) => any) => any;

/** One set per workflow: the factory runs once for each workflow the worker creates. */
export function interceptors(): WorkflowInterceptors {
  let loaded: Loaded | undefined;
  /** the SDK's interceptors once this workflow is traced; the headers of an inbound call may be what makes it so */
  const traced = (headers?: Headers): Loaded | undefined => {
    if (!loaded && headers && carriesTrace(headers)) loaded = require('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors').interceptors();
    return loaded;
  };
  /** `method` of the interceptor `select` gives for the call, or straight to `next` while there is none */
  const via =
    <T extends object>(select: (input: { headers?: Headers }) => T | undefined) =>
    (method: keyof T): Method =>
    (input: { headers?: Headers }, next: (input: unknown) => unknown): unknown => {
      const target = select(input);
      const f = target?.[method] as Method | undefined;
      return target && f ? (f.call(target, input, next) as unknown) : next(input);
    };
  const inbound = via((input) => traced(input.headers)?.inbound?.[0]);
  const outbound = via(() => traced()?.outbound?.[0]);
  const internals = via(() => traced()?.internals?.[0]);
  return {
    inbound: [
      {
        execute: inbound('execute'),
        handleSignal: inbound('handleSignal'),
        validateUpdate: inbound('validateUpdate'),
        handleUpdate: inbound('handleUpdate'),
        handleQuery: inbound('handleQuery'),
      },
    ],
    outbound: [
      {
        scheduleActivity: outbound('scheduleActivity'),
        scheduleLocalActivity: outbound('scheduleLocalActivity'),
        startChildWorkflowExecution: outbound('startChildWorkflowExecution'),
        startNexusOperation: outbound('startNexusOperation'),
        continueAsNew: outbound('continueAsNew'),
        signalWorkflow: outbound('signalWorkflow'),
        getLogAttributes: outbound('getLogAttributes'),
      },
    ],
    internals: [{ dispose: internals('dispose') }],
  };
}
