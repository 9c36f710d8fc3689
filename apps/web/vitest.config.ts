import { defineProject } from 'vitest/config';

// Unit tests of the app's pure parts; the browser tests in e2e/ run in their own project.
export default defineProject({
  test: {
    name: '@kinerja/web',
    include: ['test/**/*.test.ts'],
    exclude: ['e2e/**', 'bench/**', 'node_modules/**'],
  },
});
