/** The README's configuration table for the worker is its schema's variable list, rendered: neither drifts alone. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { normaliseTable, readmeConfigTable, renderConfigTable } from '@kinerja/testing/config-table';
import { REPO_ROOT } from '@kinerja/testing/services';
import { workerConfigVariables as variables } from '../src/config.js';

it('the README documents every worker setting the schema has, with its default and meaning, and no other', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  expect(readmeConfigTable(readme, 'worker'), 'run: node --import tsx scripts/config-table.ts && pnpm exec prettier --write README.md').toBe(
    normaliseTable(renderConfigTable(variables)),
  );
  expect(variables.map((v) => v.name)).toContain('DATABASE_URL');
});
