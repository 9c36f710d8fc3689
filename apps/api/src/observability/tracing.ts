/**
 * OpenTelemetry traces from the API: one server span per request (a W3C `traceparent` from the caller is continued),
 * and Temporal's client interceptor (temporalClientInterceptors) puts the active span on every workflow start, update
 * and signal, so the trace goes on through the workflow into its activities in the worker. Without a registered
 * tracer provider (no OTLP endpoint configured) the spans are the API's no-op ones and cost next to nothing.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { routeLabel } from './http.js';

export interface TracingSettings {
  /** the OTLP/HTTP base URL (`http://collector:4318`); undefined: no spans recorded */
  endpoint?: string | undefined;
  serviceName: string;
}

/**
 * Registers the process's tracer provider when an endpoint is given; the returned function sends what is buffered
 * and stops. One per process: the entry point calls it.
 */
export function startTracing(s: TracingSettings): () => Promise<void> {
  if (!s.endpoint) return () => Promise.resolve();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': s.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${s.endpoint.replace(/\/$/, '')}/v1/traces` }))],
  });
  provider.register();
  return async () => {
    await provider.shutdown();
    trace.disable();
  };
}

/** The request's server span, active while the request's handlers run, named by the route's pattern once known. */
export const requestTracing: MiddlewareHandler<AppEnv> = async (c, next) => {
  const parent = propagation.extract(context.active(), c.req.raw.headers, {
    get: (h, key) => h.get(key) ?? undefined,
    keys: () => ['traceparent', 'tracestate'],
  });
  // looked up per request, not once at import: a tracer taken before the provider is registered stays a no-op
  await trace
    .getTracer('kinerja-api')
    .startActiveSpan(`${c.req.method}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method } }, parent, async (span) => {
      try {
        await next();
      } finally {
        const route = routeLabel(c);
        const status = c.res.status;
        span.updateName(`${c.req.method} ${route}`);
        span.setAttributes({ 'http.route': route, 'http.response.status_code': status, 'kinerja.request_id': c.get('requestId') });
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
};
