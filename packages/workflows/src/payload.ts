/**
 * The shape of a command's payload, checked with the domain's zod schemas: the same schemas the API validates with
 * at the edge, applied once more by the workflow's update validators so that no client (the API, an operator's
 * `temporal workflow update`) can put a malformed payload into a running evaluation.
 *
 * The worker preloads this module (apps/worker `workflowPreloadModules`): zod and the schemas cost ~13 ms of CPU and
 * a few MB of heap to evaluate, which every workflow would pay again when it is created or re-cached if the module
 * were evaluated per workflow like the others. It holds no state, so one evaluation can serve every workflow; the SDK
 * deep-freezes what a preloaded module reaches, so that no workflow can change it for another (see `materialise`).
 */
import * as schemas from '@kinerja/domain';
import { EVALUATION_COMMANDS, type CommandSpec } from './commands.js';
import type { Command, Problem } from './workflows/machine.js';

interface Schema {
  safeParse(v: unknown): { success: boolean; error?: { issues: { code: string; message: string; path: PropertyKey[] }[] } };
}

const pointer = (path: PropertyKey[]) => path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function parseProblem(schema: Schema, v: unknown): Problem | null {
  const r = schema.safeParse(v);
  if (r.success) return null;
  const issues = r.error?.issues ?? [];
  const first = issues[0];
  return {
    type: 'VALIDATION_FAILED',
    message: first ? `${first.path.map(String).join('.') || 'input'}: ${first.message}` : 'input tidak valid',
    errors: issues.slice(0, 20).map((i) => ({ pointer: pointer(i.path), code: i.code, message: i.message })),
  };
}

/**
 * Zod builds a schema's methods (`safeParse`) and derived internals on first read and stores them on the instance,
 * and its first parse of a schema rewrites that schema's parse function: on a frozen schema either throws. So every
 * domain schema, and every schema inside one, has each member read and one parse run here, once, at module scope
 * (before the SDK freezes them); parsing afterwards only reads them. Only zod instances (an own `_zod`) and their
 * internals are touched, never a prototype: a member read on a prototype would be stored there and shared, wrongly
 * bound, by every instance.
 */
function materialise(roots: readonly unknown[]): void {
  const seen = new Set<object>();
  const stack = [...roots];
  const readGetters = (o: object, from: object | null) => {
    for (let p = from; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
      for (const key of Reflect.ownKeys(p)) {
        if (!Object.getOwnPropertyDescriptor(p, key)?.get) continue;
        try {
          stack.push((o as Record<PropertyKey, unknown>)[key]);
        } catch {
          // a member that cannot be built for this schema is never used by parsing it either
        }
      }
    }
  };
  while (stack.length) {
    const o = stack.pop();
    if (o === null || typeof o !== 'object' || seen.has(o)) continue;
    seen.add(o);
    if (Object.prototype.hasOwnProperty.call(o, '_zod')) {
      readGetters(o, Object.getPrototypeOf(o) as object | null);
      const internals = (o as { _zod: object })._zod;
      seen.add(internals);
      readGetters(internals, Object.getPrototypeOf(internals) as object | null);
      stack.push(...(Object.values(internals) as unknown[]));
      const parse = (o as { safeParse?: unknown }).safeParse;
      if (typeof parse === 'function') (parse as (v: unknown) => unknown).call(o, undefined);
    }
    if (Array.isArray(o) || Object.getPrototypeOf(o) === Object.prototype || Object.getPrototypeOf(o) === null || '_zod' in o) {
      stack.push(...(Object.values(o) as unknown[]));
    }
  }
}
materialise(Object.values(schemas));

/** Why the command's payload is malformed (null when it is well formed): its body against the row's schema. */
export function payloadProblem(c: Command): Problem | null {
  const body = (EVALUATION_COMMANDS[c.type] as CommandSpec).body;
  if (!body) return null;
  const schema: Schema = schemas[body.schema];
  return parseProblem(schema, (c as unknown as Record<string, unknown>)[body.key]);
}
