import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@kinerja/worker',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // real-time assertions run in their own project, after every other (root vitest.config.ts)
    exclude: ['test/**/*.timing.test.ts'],
    globalSetup: ['../../packages/testing/src/global-setup.ts'],
    setupFiles: ['../../packages/testing/src/quiet-temporal.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // each file runs its own Temporal test server, worker and database: on 2 cores, one file at a time is faster
    // and keeps timing-sensitive server behaviour out of the picture
    fileParallelism: false,
  },
});
