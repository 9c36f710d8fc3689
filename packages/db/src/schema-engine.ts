/**
 * Loads Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm) and binds it to a driver adapter.
 * The native schema engine (what `prisma migrate` spawns) is only downloadable from Prisma's CDN; the wasm build is an
 * npm package and does the same work (apply migrations, diff) through a driver adapter.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';

export type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

const require = createRequire(import.meta.url);

/** The part of the WebAssembly global used here (the tsconfig has no DOM lib, and @types/node does not declare it). */
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WasmApi };
let loaded: Promise<void> | undefined;

/** Instantiates the wasm module once per process (the package's own entry needs `--experimental-wasm-modules`). */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const pkgDir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bytes = await readFile(join(pkgDir, 'schema_engine_bg.wasm'));
    const { instance } = await wasmApi.instantiate(bytes, {
      './schema_engine_bg.js': bindings,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

export interface EngineLog {
  level?: string;
  message?: string;
  [key: string]: unknown;
}

/** A schema engine working on the database behind `factory` (its shadow database is `factory.connectToShadowDb()`). */
export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { schema?: { path: string; content: string }; onLog?: (log: EngineLog) => void } = {},
): Promise<bindings.SchemaEngine> {
  await loadWasm();
  const datamodels: [string, string][] | undefined = options.schema ? [[options.schema.path, options.schema.content]] : undefined;
  const onLog = options.onLog ?? (() => undefined);
  const callback = (raw: unknown) => {
    if (typeof raw === 'string') {
      try {
        onLog(JSON.parse(raw) as EngineLog);
      } catch {
        onLog({ message: raw });
      }
    }
  };
  return bindings.SchemaEngine.new({ datamodels }, callback, bindMigrationAwareSqlAdapterFactory(factory));
}
