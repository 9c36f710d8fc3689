/**
 * Vitest setup file for projects that run Temporal workers: the SDK's runtime logs at WARN instead of INFO, so test
 * output shows test results and real warnings rather than every worker state change. Runs before each test file; the
 * runtime is a per-process singleton, so a second install in a reused process is skipped.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} } } });
} catch {
  // already installed in this process
}
