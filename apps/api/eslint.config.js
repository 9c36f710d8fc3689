import { config, forbid } from '@kinerja/eslint-config';

export default config({
  tsconfigRootDir: import.meta.dirname,
  envReaders: ['src/env.ts'],
  restrictedPackages: forbid(['@kinerja/worker', '@temporalio/worker'], 'the api reaches workflows through the Temporal client only'),
});
