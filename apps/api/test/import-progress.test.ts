/**
 * Large employee imports report progress: with `Accept: application/x-ndjson` the import streams one JSON line per
 * step (validated, passwords, employees, superiors) and ends with the report; still validated row by row first and
 * applied all-or-nothing. Real database (PGlite), through app.request().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, setup, type Fixture } from './helpers.js';

const ROWS = 600;
/** valid NIPs: birth date 1990-01-DD, appointment 2015-01, sex 1, sequence */
const nip = (i: number) => `199001${String((i % 28) + 1).padStart(2, '0')}20150110${String(Math.floor(i / 28)).padStart(2, '0')}`;

interface Line {
  type: 'progress' | 'result' | 'error';
  phase?: string;
  done?: number;
  total?: number;
  created?: number;
}

describe('employee import progress (pglite)', () => {
  let f: Fixture;
  let admin: string;
  beforeAll(async () => {
    f = await setup('pglite');
    admin = await f.login('admin');
  }, 120_000);
  afterAll(() => f?.close());

  it('streams progress lines for a large file and ends with the report; everything is applied', async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      nip: nip(i),
      name: `Pegawai Impor ${i}`,
      position: 'Pengadministrasi Umum',
      unitCode: 'DISDUKCAPIL-PDP',
      ...(i > 0 ? { superiorNip: nip(0) } : {}),
    }));
    expect(new Set(rows.map((r) => r.nip)).size).toBe(ROWS);
    const res = await f.req('POST', '/admin/regions/demo/employees/import', { token: admin, body: { rows }, headers: { accept: 'application/x-ndjson' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines[0]).toEqual({ type: 'progress', phase: 'validated', done: ROWS, total: ROWS });
    const employees = lines.filter((l) => l.type === 'progress' && l.phase === 'employees').map((l) => l.done!);
    expect(employees).toEqual([250, 500, 600]);
    expect(lines.filter((l) => l.phase === 'superiors').map((l) => l.done)).toEqual([250, 500, 600]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', total: ROWS, created: ROWS, updated: 0 });
    const region = await f.db.prisma.region.findUniqueOrThrow({ where: { code: 'demo' } });
    expect(await f.db.prisma.employee.count({ where: { regionId: region.id, name: { startsWith: 'Pegawai Impor' } } })).toBe(ROWS);
  });

  it('a bad row still answers a 422 problem before anything streams, and nothing is applied', async () => {
    const rows = [
      { nip: '199002012015011001', name: 'Baris Baik', position: 'Staf', unitCode: 'DISDUKCAPIL-PDP' },
      { nip: '12345', name: 'Baris Buruk', position: 'Staf', unitCode: 'DISDUKCAPIL-PDP' },
    ];
    const res = await f.req('POST', '/admin/regions/demo/employees/import', { token: admin, body: { rows }, headers: { accept: 'application/x-ndjson' } });
    expect(res.status).toBe(422);
    const problem = await json<{ errors: { pointer: string }[] }>(res);
    expect(problem.errors.map((e) => e.pointer)).toContain('/rows/1/nip');
    expect(await f.db.prisma.employee.count({ where: { nip: '199002012015011001' } })).toBe(0);
  });
});
