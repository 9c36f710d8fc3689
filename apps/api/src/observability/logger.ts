/**
 * The API's one logger: pino, one JSON object per line on stdout, for a log collector to read without parsing text.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'kinerja-api' }, timestamp: pino.stdTimeFunctions.isoTime });
}
