/**
 * The shape of a command's payload, checked with the domain's zod schemas: the same schemas the API validates with
 * at the edge, applied by the workflow's update validators to every body the edge did not parse (an operator's
 * `temporal workflow update`, anything without CommandArgs `bodyCheckedAs`), so that no client can put a malformed
 * payload into a running evaluation.
 *
 * Kept out of the workflow's static imports on purpose: evaluating zod and the schemas costs ~13 ms of CPU and a few
 * megabytes of heap, which a workflow would pay each time it is created or re-cached (Temporal evaluates a workflow's
 * modules per workflow). The evaluation workflow loads this module when it first has a body to parse.
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

/** Why the command's payload is malformed (null when it is well formed): its body against the row's schema. */
export function payloadProblem(c: Command): Problem | null {
  const body = (EVALUATION_COMMANDS[c.type] as CommandSpec).body;
  if (!body) return null;
  const schema: Schema = schemas[body.schema];
  return parseProblem(schema, (c as unknown as Record<string, unknown>)[body.key]);
}
