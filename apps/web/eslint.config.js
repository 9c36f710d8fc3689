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
  { ignores: ['e2e/**', 'bench/**'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
];
