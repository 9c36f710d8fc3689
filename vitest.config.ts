import { defineConfig } from 'vitest/config';

// One run over every workspace project; one summary. The global setup (packages/testing) starts the real
// services once per run: a project-local PostgreSQL cluster and a Temporal dev server.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/architecture'],
    reporters: ['default', ['json', { outputFile: '.data/vitest-report.json' }]],
  },
});
