import { config, forbid } from '@kinerja/eslint-config';

export default config({
  tsconfigRootDir: import.meta.dirname,
  restrictedPackages: forbid(['@kinerja/workflows', '@kinerja/db', '@kinerja/testing', '@kinerja/api', '@kinerja/worker'], 'rules imports domain only'),
});
