import { config, forbid } from '@kinerja/eslint-config';

export default config({
  tsconfigRootDir: import.meta.dirname,
  restrictedPackages: forbid(['@kinerja/worker', '@temporalio/worker'], 'the api reaches workflows through the Temporal client only'),
});
