import * as domain from '@kinerja/domain';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, COMMAND_UPDATES, EVALUATION_COMMANDS, type CommandSpec } from '../src/commands.js';
import { payloadProblem } from '../src/payload.js';
import type { Command } from '../src/workflows/machine.js';

const actor = { userId: 'u', employeeId: 'e' };

describe('the command table', () => {
  it('names each update after its row, with the names the recorded histories carry', () => {
    expect(COMMAND_NAMES).toEqual([
      'submitTargets',
      'decideTargets',
      'submitReport',
      'reviewReport',
      'rateAnnual',
      'fileAppeal',
      'requestAppealResponse',
      'respondAppeal',
      'decideAppeal',
    ]);
    for (const n of COMMAND_NAMES) expect(COMMAND_UPDATES[n].name).toBe(n);
  });

  it("names a domain schema for every body, and the workflow's payload check applies it", () => {
    for (const n of COMMAND_NAMES) {
      const row: CommandSpec = EVALUATION_COMMANDS[n];
      const base = { type: n, actor, ...(row.period ? { period: 1 } : {}) };
      if (!row.body) {
        expect(payloadProblem(base as Command)).toBeNull();
        continue;
      }
      expect(typeof (domain[row.body.schema] as { safeParse?: unknown }).safeParse).toBe('function');
      const problem = payloadProblem({ ...base, [row.body.key]: { unexpected: true } } as unknown as Command);
      expect(problem, n).toMatchObject({ type: 'VALIDATION_FAILED' });
      expect(problem!.errors!.length).toBeGreaterThan(0);
    }
  });

  it('serves every command under its evaluation, with the period in the path exactly when the row carries one', () => {
    for (const n of COMMAND_NAMES) {
      const row: CommandSpec = EVALUATION_COMMANDS[n];
      expect(row.path.startsWith('/evaluations/{id}/')).toBe(true);
      expect(row.path.includes('{period}')).toBe(row.period === true);
    }
  });
});
