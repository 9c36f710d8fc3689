import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@kinerja/api',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // the production topology runs in its own project, after every other (root vitest.config.ts)
    exclude: ['test/**/*.production.test.ts'],
    globalSetup: ['../../packages/testing/src/global-setup.ts'],
    setupFiles: ['../../packages/testing/src/quiet-temporal.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
