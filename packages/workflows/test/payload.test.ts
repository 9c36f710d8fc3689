import * as domain from '@kinerja/domain';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, EVALUATION_COMMANDS, type CommandSpec } from '../src/commands.js';
import { payloadProblem } from '../src/payload.js';
import type { Command } from '../src/workflows/machine.js';

/**
 * The worker preloads payload.ts and the SDK deep-freezes what a preloaded module reaches (its exports and theirs:
 * own properties of objects and functions, recursively; not prototypes' members, not closures). The same freeze here,
 * over the domain's exports, then every check must still answer as on unfrozen schemas.
 */
function deepFreeze(o: unknown, seen = new WeakSet<object>()): void {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return;
  seen.add(o);
  for (const key of Reflect.ownKeys(o)) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d && 'value' in d) deepFreeze(d.value, seen);
  }
  Object.freeze(o);
}

const actor = { userId: 'u', employeeId: 'e' };
const aspects = {
  BERORIENTASI_PELAYANAN: 'SESUAI',
  AKUNTABEL: 'SESUAI',
  KOMPETEN: 'SESUAI',
  HARMONIS: 'SESUAI',
  LOYAL: 'SESUAI',
  ADAPTIF: 'SESUAI',
  KOLABORATIF: 'SESUAI',
};
/** a well-formed body for each command that has one */
const valid: Record<string, unknown> = {
  submitTargets: { rhk: [{ title: 'Pelayanan KTP', indicators: [{ name: 'Jumlah KTP', kind: 'QUANTITY', target: 120, unit: 'dok' }] }] },
  decideTargets: { decision: 'APPROVE' },
  submitReport: { realisations: [{ indicatorId: 'x', value: 10 }], evidence: [{ kind: 'LINK', name: 'Rekap', url: 'https://example.go.id/r.pdf' }] },
  reviewReport: { decision: 'RATE', rating: 'SESUAI', feedback: 'baik' },
  rateAnnual: { hasilKerja: 'SESUAI', perilaku: aspects },
  fileAppeal: { reasons: 'Nilai perilaku tidak sesuai dengan bukti kinerja yang dilampirkan.' },
  respondAppeal: { response: 'Penilaian sudah sesuai dengan catatan bulanan.' },
  decideAppeal: { decision: 'UPHOLD', reasons: 'Bukti tidak cukup untuk mengubah penilaian.' },
};
const malformed: unknown[] = [null, 'x', 42, [], {}, { unexpected: true }, { rhk: 'no' }, { realisations: [{ indicatorId: 1 }] }];

const command = (n: (typeof COMMAND_NAMES)[number], body: unknown): Command => {
  const row: CommandSpec = EVALUATION_COMMANDS[n];
  return { type: n, actor, ...(row.period ? { period: 1 } : {}), ...(row.body ? { [row.body.key]: body } : {}) } as unknown as Command;
};
describe('the payload checks on frozen schemas (as the worker preloads them)', () => {
  // frozen before any check has run: only what payload.ts builds when it loads is there
  deepFreeze(Object.values(domain));

  it('are frozen', () => {
    expect(Object.isFrozen(domain.PeriodReportInput)).toBe(true);
  });

  it.each(COMMAND_NAMES.filter((n) => (EVALUATION_COMMANDS[n] as CommandSpec).body))('accept a well-formed %s and name the fields of malformed ones', (n) => {
    expect(payloadProblem(command(n, valid[n]))).toBeNull();
    for (const body of malformed) {
      const problem = payloadProblem(command(n, body));
      expect(problem, JSON.stringify(body)).toMatchObject({ type: 'VALIDATION_FAILED' });
      expect(problem!.errors!.length).toBeGreaterThan(0);
    }
  });
});
