// The architecture rule of DEVELOPERS.md, checked on the real tree: each part imports only the parts listed above it.
// Lint enforces what it can file by file; this test checks every package's manifest and every import in src/.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** allowed internal runtime dependencies per package */
const ALLOWED: Record<string, string[]> = {
  '@kinerja/domain': [],
  '@kinerja/rules': ['@kinerja/domain'],
  '@kinerja/workflows': ['@kinerja/domain'],
  '@kinerja/db': ['@kinerja/domain'],
  '@kinerja/testing': ['@kinerja/domain', '@kinerja/db'],
  '@kinerja/worker': ['@kinerja/domain', '@kinerja/rules', '@kinerja/workflows', '@kinerja/db'],
  '@kinerja/api': ['@kinerja/domain', '@kinerja/rules', '@kinerja/workflows', '@kinerja/db'],
};

const DIRS: Record<string, string> = {
  '@kinerja/domain': 'packages/domain',
  '@kinerja/rules': 'packages/rules',
  '@kinerja/workflows': 'packages/workflows',
  '@kinerja/db': 'packages/db',
  '@kinerja/testing': 'packages/testing',
  '@kinerja/worker': 'apps/worker',
  '@kinerja/api': 'apps/api',
};

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'generated' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  return importsOfSource(readFileSync(file, 'utf8'));
}

function importsOfSource(src: string): string[] {
  const specs = new Set<string>();
  for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    specs.add((m[1] ?? m[2])!);
  }
  return [...specs];
}

/**
 * apps/web runs in the browser and talks to the system over HTTP only: its sources may import the typed API client
 * (`@kinerja/api/client`: `createClient` and the type `AppType`), domain types (`import type` from @kinerja/domain,
 * whose values are zod schemas) and the zod-free domain subpaths; never the server's packages or Node built-ins.
 */
const WEB = { name: '@kinerja/web', dir: 'apps/web' } as const;
const WEB_VALUE_IMPORTS = ['@kinerja/api/client', '@kinerja/domain/duration', '@kinerja/domain/calendar'];

interface ImportOf {
  spec: string;
  typeOnly: boolean;
}

function webImportsOf(src: string): ImportOf[] {
  const out: ImportOf[] = [];
  for (const m of src.matchAll(
    /(?:import|export)\s+(type\s+)?([^'"]*?)from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
  )) {
    // `import { type A, type B } from` is erased like `import type { A, B } from`
    const names = /^\{([^}]*)\}\s*$/
      .exec(m[2]?.trim() ?? '')?.[1]
      ?.split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    const inlineTypes = names !== undefined && names.length > 0 && names.every((n) => n.startsWith('type '));
    out.push({ spec: (m[3] ?? m[4] ?? m[5])!, typeOnly: m[1] !== undefined || inlineTypes });
  }
  return out;
}

function webImportAllowed({ spec, typeOnly }: ImportOf): boolean {
  if (spec.startsWith('.')) return true;
  if (spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]!)) return false;
  if (/^@(temporalio|prisma|electric-sql)\//.test(spec) || spec === 'pg' || spec === 'json-rules-engine') return false;
  if (!spec.startsWith('@kinerja/')) return true;
  if (WEB_VALUE_IMPORTS.includes(spec)) return true;
  return typeOnly && spec === '@kinerja/domain';
}

const NODE_BUILTINS = new Set(builtinModules);

const internal = (spec: string) => (spec.startsWith('@kinerja/') ? spec.split('/').slice(0, 2).join('/') : null);

describe('package boundaries', () => {
  for (const [pkg, dir] of Object.entries(DIRS)) {
    it(`${pkg} depends only on ${ALLOWED[pkg]!.join(', ') || 'no internal package'}`, () => {
      const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const deps = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@kinerja/'));
      expect(deps.filter((d) => !ALLOWED[pkg]!.includes(d))).toEqual([]);

      const offending = files(join(ROOT, dir, 'src')).flatMap((f) =>
        importsOf(f)
          .map(internal)
          .filter((i): i is string => i !== null && i !== pkg && !ALLOWED[pkg]!.includes(i))
          .map((i) => `${relative(ROOT, f)} imports ${i}`),
      );
      expect(offending).toEqual([]);
    });
  }

  // the SDK's OpenTelemetry workflow interceptors are written for the sandbox; tracing.ts loads them into traced workflows
  const SANDBOX_MODULES = new Set(['@temporalio/workflow', '@temporalio/common', '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors']);
  it("workflow code imports only @temporalio/workflow, the SDK's sandbox interceptors, @kinerja/domain and its own files", () => {
    const dir = join(ROOT, 'packages/workflows/src');
    const offending = files(dir).flatMap((f) =>
      importsOf(f)
        .filter((s) => !s.startsWith('.') && !SANDBOX_MODULES.has(s) && internal(s) !== '@kinerja/domain')
        .map((s) => `${relative(ROOT, f)} imports ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('the api never reaches the worker', () => {
    const offending = files(join(ROOT, 'apps/api/src')).flatMap((f) =>
      importsOf(f)
        .filter((s) => s === '@kinerja/worker' || s.startsWith('@temporalio/worker'))
        .map((s) => `${relative(ROOT, f)} imports ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it(`${WEB.name} reaches the system only through the typed client and zod-free domain vocabulary`, () => {
    const dir = join(ROOT, WEB.dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    // the bundler takes what the app imports from the workspace; nothing internal is a runtime dependency of the app
    expect(Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@kinerja/'))).toEqual([]);
    const offending = files(join(dir, 'src')).flatMap((f) =>
      webImportsOf(readFileSync(f, 'utf8'))
        .filter((i) => !webImportAllowed(i))
        .map((i) => `${relative(ROOT, f)} imports ${i.typeOnly ? 'type ' : ''}${i.spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("tells the web app's allowed imports from the others (the check itself can fail)", () => {
    const src = [
      "import { createClient } from '@kinerja/api/client';",
      "import type { AppType } from '@kinerja/api/client';",
      "import type { Phase } from '@kinerja/domain';",
      "import { type Rating, type TaskKind } from '@kinerja/domain';",
      "import { type Rating, Predikat } from '@kinerja/domain';",
      "import { parseDuration } from '@kinerja/domain/duration';",
      "import { Phase } from '@kinerja/domain';",
      "import type { ApiConfig } from '@kinerja/api';",
      "import { openDb } from '@kinerja/db';",
      "import { readFileSync } from 'node:fs';",
      "import { z } from 'zod';",
      "import { useQuery } from '@tanstack/react-query';",
    ].join('\n');
    expect(
      webImportsOf(src)
        .filter((i) => !webImportAllowed(i))
        .map((i) => i.spec),
    ).toEqual(['@kinerja/domain', '@kinerja/domain', '@kinerja/api', '@kinerja/db', 'node:fs']);
  });

  it('finds static, type-only, re-export and dynamic imports (the check itself can fail)', () => {
    const src = [
      "import { openDb } from '@kinerja/db';",
      "import type { Facts } from '@kinerja/rules';",
      "export { x } from './local.js';",
      "const fs = await import('node:fs');",
    ].join('\n');
    expect(importsOfSource(src).sort()).toEqual(['./local.js', '@kinerja/db', '@kinerja/rules', 'node:fs']);
    expect(internal('@kinerja/db/src/x')).toBe('@kinerja/db');
  });
});
