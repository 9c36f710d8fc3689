// Builds what production runs with plain `node`: the API, the worker, the database CLIs (migrate, seed, verify,
// backup with its restore) as single ES modules, and the worker's workflow bundle, prebuilt so a worker starts without
// webpack. Run by `node scripts/kinerja.mjs build` (and by the Dockerfile, so the image runs what the tests run).
//
// Every source file is bundled where it lies: `import.meta.url`, `import.meta.dirname`, `__dirname` and `__filename`
// are replaced by the file's own location, so code that finds its files next to itself (Prisma's migrations, PGlite's
// WebAssembly, pdfmake's fonts, the API reference's script) finds them where the install put them, exactly as when
// it runs from source. Packages with native code or their own bundler stay external and are loaded from the app's
// node_modules at run time.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Native code (@temporalio/core-bridge), webpack (the workflow bundler), or optional peers that are not installed. */
const EXTERNAL = [/^@temporalio\//, /^pg-native$/, /^@swc\//, /^webpack/, /^esbuild$/];

export const TARGETS = [
  { name: 'api', app: 'apps/api', entry: 'apps/api/src/main.ts', out: 'apps/api/dist/main.js' },
  { name: 'worker', app: 'apps/worker', entry: 'apps/worker/src/main.ts', out: 'apps/worker/dist/main.js' },
  ...['migrate', 'seed', 'verify-audit', 'backup'].map((cli) => ({
    name: `db ${cli}`,
    app: 'packages/db',
    entry: `packages/db/src/cli/${cli}.ts`,
    out: `packages/db/dist/${cli}.js`,
    optional: true,
  })),
];

const locatedSources = {
  name: 'located-sources',
  setup(b) {
    b.onLoad({ filter: /\.(m|c)?[jt]sx?$/ }, async (args) => {
      if (args.path.includes('/node_modules/') && /\.d\.ts$/.test(args.path)) return undefined;
      let code = await readFile(args.path, 'utf8');
      const file = JSON.stringify(args.path);
      const dir = JSON.stringify(dirname(args.path));
      const url = JSON.stringify(pathToFileURL(args.path).href);
      code = code
        .replace(/\bimport\.meta\.url\b/g, url)
        .replace(/\bimport\.meta\.dirname\b/g, dir)
        .replace(/\bimport\.meta\.filename\b/g, file)
        .replace(/(?<![.\w$])__dirname\b/g, dir)
        .replace(/(?<![.\w$])__filename\b/g, file);
      const ext = extname(args.path);
      const loader = ext === '.ts' || ext === '.mts' || ext === '.cts' ? 'ts' : ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : 'js';
      return { contents: code, loader, resolveDir: dirname(args.path) };
    });
  },
};

/** An external package must resolve from the app's own node_modules, where `node dist/main.js` looks for it. */
function externals(app) {
  const require = createRequire(join(ROOT, app, 'package.json'));
  return {
    name: 'externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        if (!EXTERNAL.some((re) => re.test(args.path))) return undefined;
        try {
          require.resolve(args.path);
          return { path: args.path, external: true };
        } catch {
          return undefined; // not the app's own dependency: bundled like any other code
        }
      });
    },
  };
}

export async function buildTarget(t) {
  const entry = join(ROOT, t.entry);
  try {
    await readFile(entry);
  } catch {
    if (t.optional) return null;
    throw new Error(`${t.entry} is missing`);
  }
  const result = await build({
    entryPoints: [entry],
    outfile: join(ROOT, t.out),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    // bundled CommonJS code calls require() for Node's built-ins
    banner: { js: "import { createRequire as __kinerjaRequire } from 'node:module'; const require = __kinerjaRequire(import.meta.url);" },
    plugins: [externals(t.app), locatedSources],
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { name: t.name, out: t.out, bytes };
}

/** The worker's workflow code as webpack bundles it, written next to the built worker. */
export async function buildWorkflowBundle() {
  const require = createRequire(join(ROOT, 'apps/worker/package.json'));
  const { bundleWorkflowCode } = await import(pathToFileURL(require.resolve('@temporalio/worker')).href);
  const workflowsPath = createRequire(join(ROOT, 'packages/workflows/package.json')).resolve('./src/workflows/index.ts');
  // the interceptor modules the workflows package lists, as the worker's own bundling uses them: the request id, and
  // the SDK's OpenTelemetry interceptors for traced workflows
  const listed = join(ROOT, 'packages/workflows/interceptor-modules.json');
  const workflowInterceptorModules = JSON.parse(await readFile(listed, 'utf8')).map((m) => join(dirname(listed), m));
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules,
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  const out = join(ROOT, 'apps/worker/dist/workflow-bundle.js');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, code);
  return { name: 'workflow bundle', out: relative(ROOT, out), bytes: Buffer.byteLength(code) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  for (const t of TARGETS) {
    const r = await buildTarget(t);
    if (r) console.log(`built ${r.name.padEnd(16)} ${r.out} (${(r.bytes / 1e6).toFixed(1)} MB with its source map)`);
  }
  const w = await buildWorkflowBundle();
  console.log(`built ${w.name.padEnd(16)} ${w.out} (${(w.bytes / 1e6).toFixed(1)} MB)`);
  console.log(`build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
