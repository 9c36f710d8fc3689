// Container health checks (no extra tools in the slim Node image):
//   node docker/healthcheck.mjs api      GET http://127.0.0.1:$PORT/health/live answers 2xx (the process, not Temporal)
//   node docker/healthcheck.mjs worker   Temporal reports a live poller on the worker's task queue
import { createRequire } from 'node:module';

const mode = process.argv[2];
const fail = (msg) => {
  console.error(`unhealthy: ${msg}`);
  process.exit(1);
};
const timer = setTimeout(() => fail('timed out'), 8_000);

try {
  if (mode === 'api') {
    const res = await fetch(`http://127.0.0.1:${process.env.PORT ?? '3000'}/health/live`);
    if (!res.ok) fail(`/health/live answered ${res.status}`);
  } else if (mode === 'worker') {
    // resolve the SDK from the worker package (pnpm does not hoist it to the root)
    const require = createRequire(new URL('../apps/worker/package.json', import.meta.url));
    const { Connection } = require('@temporalio/client');
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
    try {
      const res = await connection.workflowService.describeTaskQueue({
        namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
        taskQueue: { name: process.env.TEMPORAL_TASK_QUEUE || 'kinerja', kind: 1 },
        taskQueueType: 1, // workflow task queue
      });
      if (!res.pollers?.length) fail('no worker is polling the task queue');
    } finally {
      await connection.close();
    }
  } else {
    fail(`unknown mode '${mode}' (api | worker)`);
  }
  clearTimeout(timer);
  process.exit(0);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
