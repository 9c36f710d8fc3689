import { config, forbid } from '@kinerja/eslint-config';
import reactHooks from 'eslint-plugin-react-hooks';

export default [
  ...config({
    tsconfigRootDir: import.meta.dirname,
    restrictedPackages: forbid(
      ['@kinerja/db', '@kinerja/worker', '@kinerja/workflows', '@temporalio/client', '@temporalio/worker'],
      'the web app reaches the system only through the typed API client (@kinerja/api/client)',
    ),
  }),
  {
    // the browser tests' harness and the budget benchmark start the real system (database, worker, Temporal) the
    // browser then reaches over HTTP like a user would; the tests themselves stay on the boundary
    files: ['e2e/boot.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
];
