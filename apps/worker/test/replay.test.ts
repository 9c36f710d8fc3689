/**
 * Determinism guard: every recorded history in packages/workflows/test/histories/ must replay against the current
 * workflow code. If this fails after a workflow change, running evaluations would fail on the next worker deploy:
 * guard the new behaviour with `patched('<change-id>')` (old branch kept for old histories), then add fixtures
 * from the new version with `pnpm --filter @kinerja/worker run record-histories` (keep the old ones).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../src/index.js';

const DIR = resolve(import.meta.dirname, '..', '..', '..', 'packages', 'workflows', 'test', 'histories');

it('replays every recorded history without nondeterminism', async () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  expect(files.length).toBeGreaterThanOrEqual(4);
  const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(readFileSync(join(DIR, f), 'utf8'))) }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const r of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
    replayed++;
    if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
}, 120_000);
