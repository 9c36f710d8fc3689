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
      // The browser tests (Chromium driving the built web app on the real system) run last, one file at a time: each
      // file runs its own system and a browser, a whole year on a short calendar.
      {
        test: {
          name: '@kinerja/web-e2e',
          root: './apps/web',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['../../packages/testing/src/global-setup.ts', './e2e/global-setup.ts'],
          setupFiles: ['../../packages/testing/src/quiet-temporal.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      // The production topology (PostgreSQL, the Temporal server built from Go, the built API and two workers as
      // processes) runs last: its build runs in the background while the other projects test.
      {
        test: {
          name: '@kinerja/production',
          root: './apps/api',
          include: ['test/**/*.production.test.ts'],
          testTimeout: 1_200_000,
          hookTimeout: 2_700_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
    reporters: ['default', ['json', { outputFile: '.data/vitest-report.json' }]],
  },
});
