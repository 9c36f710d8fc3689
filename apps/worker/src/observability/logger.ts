/**
 * The worker's one logger: pino, one JSON object per line on stdout, for a log collector to read without parsing
 * text. The Temporal SDK's own log (worker state, activity start and completion, the Rust core's warnings) is routed
 * into it by `installRuntime`, so everything the process says is the same kind of line.
 */
import { pino, type Logger } from 'pino';
import { DefaultLogger, Runtime, makeTelemetryFilterString, type LogEntry, type LogLevel as SdkLogLevel } from '@temporalio/worker';
import type { LogLevel } from '../config.js';
import type { ActivityLog } from '../activities/index.js';

export type { Logger };

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'kinerja-worker' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** The activities' and the dispatcher's log as pino lines: the meta object's fields beside the message. */
export const pinoActivityLog = (logger: Logger): ActivityLog => ({
  info: (message, meta) => logger.info(meta ?? {}, message),
  warn: (message, meta) => logger.warn(meta ?? {}, message),
});

const SDK_LEVEL: Record<LogLevel, SdkLogLevel> = {
  fatal: 'ERROR',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
  silent: 'ERROR',
};

/** An SDK log entry as a pino line: its string-keyed attributes (workflow and activity ids, sdkComponent) as fields. */
function forward(logger: Logger, entry: LogEntry): void {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry.meta ?? {})) fields[k] = typeof v === 'bigint' ? v.toString() : v;
  const method =
    entry.level === 'TRACE' ? 'trace' : entry.level === 'DEBUG' ? 'debug' : entry.level === 'INFO' ? 'info' : entry.level === 'WARN' ? 'warn' : 'error';
  logger[method](fields, entry.message);
}

export interface RuntimeSettings {
  logger: Logger;
  level: LogLevel;
  /** host:port of the SDK's Prometheus endpoint (/metrics); undefined: none */
  metricsAddress?: string | undefined;
}

/**
 * Installs the Temporal runtime: the SDK's log into `logger`, the Rust core's log forwarded to it too (at WARN unless
 * the level asks for more: the core is chatty at INFO), and the SDK's own metrics (temporal_* series: task slots,
 * poll latencies, workflow and activity outcomes) on a Prometheus endpoint. The runtime is one per process and must
 * be installed before the first connection, so only the process's entry point calls this.
 */
export function installRuntime(s: RuntimeSettings): void {
  const level = SDK_LEVEL[s.level];
  const core: SdkLogLevel = level === 'TRACE' || level === 'DEBUG' ? level : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => forward(s.logger, entry)),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core, other: core }) },
      ...(s.metricsAddress ? { metrics: { prometheus: { bindAddress: s.metricsAddress } } } : {}),
    },
  });
}
