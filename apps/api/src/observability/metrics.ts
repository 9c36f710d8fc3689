/**
 * The API's Prometheus metrics, in a registry of its own (not prom-client's global one, so two apps in one process,
 * as in the tests, count apart): requests by method, route pattern and status, their durations, and the process's
 * default metrics (CPU, memory, event loop, handles).
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
}

export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    // from a cached read to a year's import: the import routes take seconds
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return { registry, requests, duration };
}
