import { config, forbid } from '@kinerja/eslint-config';

export default config({
  tsconfigRootDir: import.meta.dirname,
  envReaders: ['src/cli/*.ts'],
  restrictedPackages: forbid(['@kinerja/rules', '@kinerja/workflows', '@kinerja/testing', '@kinerja/api', '@kinerja/worker'], 'db imports domain only'),
});
