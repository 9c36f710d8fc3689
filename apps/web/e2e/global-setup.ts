/**
 * vitest globalSetup of the browser tests: the API serves the built app (apps/web/dist), so build it first. Through
 * turbo, which restores the build from its cache when neither the app's sources nor its dependencies changed.
 */
import { spawnSync } from 'node:child_process';
import { delimiter, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export default function setup(): void {
  console.log('[web-e2e] building the web app (turbo run build, cached)');
  const path = [join(ROOT, '.tools', 'pnpm', 'node_modules', '.bin'), join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
  const r = spawnSync('turbo', ['run', 'build', '--filter=@kinerja/web', '--output-logs=errors-only'], {
    cwd: ROOT,
    env: { ...process.env, PATH: path, TURBO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`building the web app failed (turbo run build --filter=@kinerja/web):\n${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}`);
}
