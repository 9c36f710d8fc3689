export { createLogger, installRuntime, pinoActivityLog, type Logger, type RuntimeSettings } from './logger.js';
export { currentRequestId, decodeRequestId, encodeRequestId, requestIdActivityInterceptor, withRequestId } from './request-id.js';
export { startTracing, type Tracing, type TracingSettings } from './tracing.js';
