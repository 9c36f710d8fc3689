export { createLogger, installRuntime, pinoActivityLog, type Logger, type RuntimeSettings } from './logger.js';
export { currentRequestId, requestIdActivityInterceptor, withRequestId } from './request-id.js';
export { startTracing, type Tracing, type TracingSettings } from './tracing.js';
