import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@kinerja/rules',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
