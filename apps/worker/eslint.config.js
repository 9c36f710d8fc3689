import { config, forbid } from '@kinerja/eslint-config';

export default config({
  tsconfigRootDir: import.meta.dirname,
  envReaders: ['src/config.ts'],
  restrictedPackages: forbid(['@kinerja/api'], 'the worker never imports the api'),
});
