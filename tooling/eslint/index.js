// Shared lint config. Type-aware rules for all TypeScript; boundaries for workflow code and packages.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

/** Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O packages, no rules engine. */
export const workflowRestrictions = {
  files: ['**/src/workflows/**/*.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [
          ...nodeBuiltins.flatMap((m) => [
            { name: m, message: 'Workflow code must be deterministic: no Node built-ins (use activities).' },
            { name: `node:${m}`, message: 'Workflow code must be deterministic: no Node built-ins (use activities).' },
          ]),
          { name: '@kinerja/db', message: 'Workflows never touch the database; call an activity.' },
          { name: '@kinerja/rules', message: 'The rules engine runs in activities, never in workflow code.' },
          { name: 'json-rules-engine', message: 'The rules engine runs in activities, never in workflow code.' },
          { name: '@temporalio/activity', message: 'Workflow code imports @temporalio/workflow only.' },
          { name: '@temporalio/client', message: 'Workflow code imports @temporalio/workflow only.' },
          { name: '@temporalio/worker', message: 'Workflow code imports @temporalio/workflow only.' },
          {
            name: '@kinerja/domain',
            allowTypeImports: true,
            message:
              'Workflow code imports domain types only (`import type`), or values from zod-free subpaths such as @kinerja/domain/duration: zod schemas would be evaluated for every workflow created.',
          },
          { name: 'zod', message: 'No zod in workflow code: payload schemas load lazily from src/payload.ts.' },
        ],
        patterns: [{ group: ['@prisma/*', 'pg', '@electric-sql/*'], message: 'No I/O in workflow code.' }],
      },
    ],
    'no-restricted-globals': [
      'error',
      { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
      { name: 'setInterval', message: 'Use sleep() from @temporalio/workflow.' },
      { name: 'fetch', message: 'No I/O in workflows.' },
    ],
  },
};

/**
 * @param {{ tsconfigRootDir: string, restrictedPackages?: {name: string, message: string}[], envReaders?: string[] }} opts
 * envReaders: the only source files that may read process.env (an app's one validated configuration, a CLI's entry);
 * given, every other file under src/ is refused `process.env`.
 */
export function config({ tsconfigRootDir, restrictedPackages = [], envReaders }) {
  return tseslint.config(
    { ignores: ['**/dist/**', '**/generated/**', '**/node_modules/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: { parserOptions: { projectService: true, tsconfigRootDir } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/no-misused-promises': 'error',
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/consistent-type-imports': ['warn', { fixStyle: 'inline-type-imports' }],
        '@typescript-eslint/no-explicit-any': 'error',
        '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
        ...(restrictedPackages.length ? { 'no-restricted-imports': ['error', { paths: restrictedPackages }] } : {}),
      },
    },
    workflowRestrictions,
    ...(envReaders
      ? [
          {
            files: ['src/**/*.ts'],
            ignores: envReaders,
            rules: {
              'no-restricted-properties': [
                'error',
                {
                  object: 'process',
                  property: 'env',
                  message: `The environment is read once, validated, in ${envReaders.join(' / ')}: take the setting from the config it returns.`,
                },
              ],
            },
          },
        ]
      : []),
  );
}

export const forbid = (names, why) => names.map((name) => ({ name, message: why }));
