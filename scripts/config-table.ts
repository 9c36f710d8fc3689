/**
 * `node --import tsx scripts/config-table.ts`: rewrites the README's configuration tables from the API's and the
 * worker's variable lists (the schemas their configs parse); run Prettier on README.md afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { apiConfigVariables } from '@kinerja/api';
import { renderConfigTable, replaceConfigTable } from '@kinerja/testing/config-table';
import { workerConfigVariables } from '@kinerja/worker';

const file = join(resolve(import.meta.dirname, '..'), 'README.md');
let readme = readFileSync(file, 'utf8');
readme = replaceConfigTable(readme, 'api', renderConfigTable(apiConfigVariables));
readme = replaceConfigTable(readme, 'worker', renderConfigTable(workerConfigVariables));
writeFileSync(file, readme);
console.log('README.md: configuration tables rewritten (run prettier --write README.md)');
