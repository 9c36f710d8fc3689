import { config, forbid } from '@kinerja/eslint-config';

export default config({
  tsconfigRootDir: import.meta.dirname,
  restrictedPackages: forbid(['@kinerja/api', '@kinerja/worker'], 'testing fixtures do not import apps'),
});
