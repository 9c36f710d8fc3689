/**
 * Production strictness of the API's one configuration (loadApiConfig on an environment object: no process, no
 * services): what a production start refuses, naming the variable, and what elsewhere is only a warning.
 */
import { describe, expect, it } from 'vitest';
import { apiConfigVariables, ConfigError, loadApiConfig, unknownSettings } from '../src/env.js';

const SECRET = 'Zq3v8pLr2Kx9Wm4Ty7Bn1Hc6Gd5Fs0Ja-Ue_Xo'; // 38 characters, not a placeholder
const PRODUCTION = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://kinerja:rahasia@db:5432/kinerja', JWT_SECRET: SECRET };

function refusal(env: Record<string, string>): string {
  try {
    loadApiConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

describe('production configuration', () => {
  it('accepts a complete production environment', () => {
    const env = loadApiConfig(PRODUCTION);
    expect(env).toMatchObject({ production: true, databaseUrl: PRODUCTION.DATABASE_URL, jwtSecret: SECRET, warnings: [] });
    // no token: the metrics endpoint is off rather than open to the public
    expect(env.config.metrics).toBe('off');
  });

  it('refuses PGlite: DATABASE_URL is required', () => {
    expect(refusal({ ...PRODUCTION, DATABASE_URL: '' })).toMatch(/DATABASE_URL: required when NODE_ENV=production/);
    const { DATABASE_URL: _, ...without } = PRODUCTION;
    expect(refusal(without)).toMatch(/DATABASE_URL/);
    // outside production PGlite stays the default
    expect(loadApiConfig({ JWT_SECRET: SECRET }).databaseUrl).toBeUndefined();
  });

  it('refuses a missing, short or placeholder JWT_SECRET', () => {
    const { JWT_SECRET: _, ...without } = PRODUCTION;
    expect(refusal(without)).toMatch(/JWT_SECRET: required when NODE_ENV=production/);
    expect(refusal({ ...PRODUCTION, JWT_SECRET: 'x'.repeat(10) })).toMatch(/JWT_SECRET: at least 32 characters/);
    expect(refusal({ ...PRODUCTION, JWT_SECRET: SECRET.slice(0, 31) })).toMatch(/JWT_SECRET: at least 32 characters/);
    for (const placeholder of [
      'change-me-to-a-long-random-secret', // docker/env.example and docker-compose.yml
      'CHANGEME-CHANGEME-CHANGEME-CHANGEME',
      'please-replace-me-with-something-long',
      'dev-secret-dev-secret-dev-secret-dev-secret',
      'a'.repeat(40),
    ]) {
      expect(refusal({ ...PRODUCTION, JWT_SECRET: placeholder }), placeholder).toMatch(/JWT_SECRET: a placeholder or example value/);
    }
    expect(loadApiConfig({ ...PRODUCTION, JWT_SECRET: SECRET.slice(0, 32) }).jwtSecret).toHaveLength(32);
    // outside production the checks do not apply
    expect(loadApiConfig({ JWT_SECRET: 'change-me' }).jwtSecret).toBe('change-me');
  });

  it('an unknown setting that looks like ours stops production and names the known one', () => {
    expect(refusal({ ...PRODUCTION, DATABSE_URL: 'postgresql://x' })).toMatch(/DATABSE_URL: not a setting of the API \(did you mean DATABASE_URL\?\)/);
    expect(refusal({ ...PRODUCTION, S3_BUKET: 'bukti' })).toMatch(/S3_BUKET: not a setting of the API \(did you mean S3_BUCKET\?\)/);
    expect(refusal({ ...PRODUCTION, TEMPORAL_ADRESS: 'temporal:7233' })).toMatch(/did you mean TEMPORAL_ADDRESS\?/);
    expect(refusal({ ...PRODUCTION, JWT_SECERT: SECRET })).toMatch(/did you mean JWT_SECRET\?/);
    // our prefix, nothing close: still refused, without a suggestion
    expect(refusal({ ...PRODUCTION, SURVEY_COLOUR: 'biru' })).toMatch(/SURVEY_COLOUR: not a setting of the API$/m);
    expect(refusal({ ...PRODUCTION, METRICS_PORT: '9100' })).toMatch(/METRICS_PORT/);
  });

  it("the system's and other programs' variables are not ours", () => {
    const system = {
      PATH: '/usr/bin',
      HOME: '/home/kinerja',
      HOSTNAME: 'api-1',
      PWD: '/app',
      TERM: 'xterm',
      LANG: 'C.UTF-8',
      NODE_OPTIONS: '--max-old-space-size=2048',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/ca.pem',
      AWS_REGION: 'ap-southeast-3',
      AWS_ACCESS_KEY_ID: 'AKIA',
      OTEL_EXPORTER_OTLP_HEADERS: 'x=1',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod',
      SMTP_URL: 'smtp://mail:25',
      NOTIFY_BATCH: '20',
      KINERJA_PG_BIN: '/usr/lib/postgresql/16/bin',
      npm_config_user_agent: 'pnpm',
      TEMPORAL_TASK_QUEUE: 'kinerja',
    };
    expect(unknownSettings(system)).toEqual([]);
    expect(loadApiConfig({ ...PRODUCTION, ...system }).production).toBe(true);
  });

  it('outside production an unknown setting is a warning', () => {
    const env = loadApiConfig({ DATABSE_URL: 'postgresql://x', UPLOAD_MAX_BYTE: '1' });
    expect(env.warnings).toEqual([
      'DATABSE_URL: not a setting of the API (did you mean DATABASE_URL?)',
      'UPLOAD_MAX_BYTE: not a setting of the API (did you mean UPLOAD_MAX_BYTES?)',
    ]);
  });

  it('CORS origins, log level, metrics token and task queue', () => {
    const env = loadApiConfig({
      CORS_ORIGINS: 'https://kinerja.example.go.id, http://localhost:5173/',
      LOG_LEVEL: 'debug',
      METRICS_TOKEN: 'scrape-0123456789abcdef',
      TEMPORAL_TASK_QUEUE: 'kinerja-2',
    });
    expect(env.logLevel).toBe('debug');
    expect(env.config).toMatchObject({
      corsOrigins: ['https://kinerja.example.go.id', 'http://localhost:5173'],
      metrics: { token: 'scrape-0123456789abcdef' },
      taskQueue: 'kinerja-2',
    });
    expect(loadApiConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadApiConfig({}).logLevel).toBe('info');
    expect(refusal({ CORS_ORIGINS: 'kinerja.example.go.id' })).toMatch(/CORS_ORIGINS/);
    expect(refusal({ CORS_ORIGINS: 'https://kinerja.example.go.id/app' })).toMatch(/CORS_ORIGINS/);
    expect(refusal({ LOG_LEVEL: 'verbose' })).toMatch(/LOG_LEVEL/);
    expect(refusal({ METRICS_TOKEN: 'short' })).toMatch(/METRICS_TOKEN: at least 16 characters/);
  });

  it('lists every variable with its meaning, for the README', () => {
    const names = apiConfigVariables.map((v) => v.name);
    for (const n of ['DATABASE_URL', 'JWT_SECRET', 'CORS_ORIGINS', 'LOG_LEVEL', 'METRICS_TOKEN', 'S3_BUCKET', 'SURVEY_RATE_BURST', 'TEMPORAL_TASK_QUEUE']) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const v of apiConfigVariables) expect(v.description.length, v.name).toBeGreaterThan(5);
    expect(apiConfigVariables.find((v) => v.name === 'PORT')?.default).toBe('3000');
  });
});
