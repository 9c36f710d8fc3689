import { defineConfig } from 'vitest/config';

// One run over every workspace project; one summary. The global setup (packages/testing) starts the real
// services once per run: a project-local PostgreSQL cluster and a Temporal dev server.
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      'tooling/architecture',
      // Tests that assert when something happens in real time (`*.timing.test.ts`) run after every other project: on
      // 2 cores, the other projects' load would otherwise measure the machine instead of the code.
      {
        test: {
          name: '@kinerja/worker-timing',
          root: './apps/worker',
          include: ['test/**/*.timing.test.ts'],
          globalSetup: ['../../packages/testing/src/global-setup.ts'],
          setupFiles: ['../../packages/testing/src/quiet-temporal.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
    reporters: ['default', ['json', { outputFile: '.data/vitest-report.json' }]],
  },
});
