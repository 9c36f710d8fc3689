import { config, forbid } from '@kinerja/eslint-config';

export default config({
  tsconfigRootDir: import.meta.dirname,
  restrictedPackages: forbid(
    ['@kinerja/db', '@kinerja/rules', '@kinerja/testing', '@kinerja/api', '@kinerja/worker'],
    'workflows import domain and @temporalio/workflow only',
  ),
});
