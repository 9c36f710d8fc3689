/**
 * OpenTelemetry traces through the worker: Temporal's interceptors continue the trace a caller put on the workflow's
 * headers (the API's client interceptor does) into the workflow, its activities and the workflows the fan-out starts.
 * Workflow spans leave the sandbox through the `exporter` sink (the sandbox has no I/O), activity and client spans
 * through the process's tracer provider. With no OTLP endpoint configured the interceptors still run, so the trace
 * context keeps flowing, but nothing is recorded or sent.
 */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

export interface TracingSettings {
  /** the OTLP/HTTP base URL (`http://collector:4318`); undefined: no spans recorded */
  endpoint?: string | undefined;
  serviceName: string;
}

export interface Tracing {
  /** where the workflow spans go (the `exporter` sink) */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** sends what is still buffered, then stops */
  shutdown(): Promise<void>;
}

/**
 * The process's tracing, registered as the global tracer provider when an endpoint is given. One per process: the
 * entry point calls it; tests that want spans call it with their own receiver's URL.
 */
export function startTracing(s: TracingSettings): Tracing {
  const resource = resourceFromAttributes({ 'service.name': s.serviceName });
  if (!s.endpoint) return { spanProcessor: new NoopSpanProcessor(), resource, shutdown: () => Promise.resolve() };
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${s.endpoint.replace(/\/$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return {
    spanProcessor,
    resource,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
    },
  };
}

const noTracing: Tracing = { spanProcessor: new NoopSpanProcessor(), resource: resourceFromAttributes({}), shutdown: () => Promise.resolve() };

/** The activity interceptors: the activity's span, a child of the workflow span that scheduled it. */
export const tracingActivityInterceptor: ActivityInterceptorsFactory = (ctx) => ({
  inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
  outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
});

/** what the sink hands over: the span as the workflow sandbox's OpenTelemetry 1.x recorded it */
type SandboxSpanProcessor = Parameters<typeof makeWorkflowExporter>[0];
type SandboxSpan = Parameters<SandboxSpanProcessor['onEnd']>[0];

/**
 * The workflow sandbox records spans with the SDK interceptors' OpenTelemetry 1.x, the process exports with 2.x,
 * whose spans name their scope `instrumentationScope` and their parent `parentSpanContext`: each span is renamed
 * into that shape and given this process's resource on its way from the sink to the processor.
 */
function fromSandbox(processor: SpanProcessor, resource: Resource): SandboxSpanProcessor {
  const convert = (s: SandboxSpan): ReadableSpan => {
    const context = s.spanContext();
    return {
      name: s.name,
      kind: s.kind,
      spanContext: () => context,
      parentSpanContext: s.parentSpanId ? { traceId: context.traceId, spanId: s.parentSpanId, traceFlags: context.traceFlags, isRemote: true } : undefined,
      startTime: s.startTime,
      endTime: s.endTime,
      status: s.status,
      attributes: s.attributes,
      links: s.links,
      events: s.events,
      duration: s.duration,
      ended: s.ended,
      resource,
      instrumentationScope: s.instrumentationLibrary,
      droppedAttributesCount: s.droppedAttributesCount,
      droppedEventsCount: s.droppedEventsCount,
      droppedLinksCount: s.droppedLinksCount,
    };
  };
  return {
    onStart: () => undefined,
    onEnd: (span) => processor.onEnd(convert(span)),
    forceFlush: () => processor.forceFlush(),
    shutdown: () => processor.shutdown(),
  };
}

/** The sink the workflow interceptors export their spans through. */
export const tracingSinks = (tracing: Tracing = noTracing) => ({
  // the resource argument is unused: fromSandbox sets the process's own on every span
  exporter: makeWorkflowExporter(fromSandbox(tracing.spanProcessor, tracing.resource), undefined as never),
});

/** For the worker's own client: a workflow the fan-out starts continues the trace of the activity that starts it. */
export const tracingClientInterceptor = () => new OpenTelemetryWorkflowClientInterceptor();
