import { config, forbid } from '@kinerja/eslint-config';

export default config({
  tsconfigRootDir: import.meta.dirname,
  restrictedPackages: forbid(
    ['@kinerja/rules', '@kinerja/workflows', '@kinerja/db', '@kinerja/testing', '@kinerja/api', '@kinerja/worker'],
    'domain is pure and imports no internal package',
  ),
});
