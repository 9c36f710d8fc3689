import { defineConfig } from 'prisma/config';

// `prisma generate` works offline; it only checks that a schema engine binary path exists. The native schema engine
// is never used: migrations are applied with @prisma/schema-engine-wasm (src/migrate.ts).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= import.meta.filename;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
