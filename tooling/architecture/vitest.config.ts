import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: '@kinerja/architecture', include: ['test/**/*.test.ts'] } });
