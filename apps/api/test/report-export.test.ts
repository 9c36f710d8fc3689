import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEvaluation, json, NIPS, setup, type Fixture } from './helpers.js';

const INJECTION = '=HYPERLINK("http://contoh.invalid","klik")';
const DAY = 86_400_000;

interface Report {
  total: number;
  byPhase: Record<string, number>;
  distribution: Record<string, number>;
  overdueTasks: { total: number; byKind: Record<string, number> };
  openTasks: { total: number; byKind: Record<string, number> };
  overdueBySupervisor: { supervisor: { id: string; nip: string; name: string }; unit: { code: string }; overdue: number; oldestDueAt: string }[];
  reminders: { notifications: number; evaluations: number };
  escalations: { tasks: number; open: number; notifications: number };
  units: { unit: { code: string }; evaluations: number; rated: number; distribution: Record<string, number>; byPhase: Record<string, number> }[];
}

/** Two evaluations seeded directly (no workflows): one scored INITIAL, one FINAL, with tasks and notifications. */
describe.each(dbKinds())('cycle report and its exports (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  let cycleId: string;
  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
    const p = f.db.prisma;
    const { staff1, kepalaBidang, kepalaDinas } = f.seed.employees;
    await p.employee.update({ where: { id: staff1 }, data: { name: INJECTION } });
    const e1 = await fakeEvaluation(f, 'staff1', { phase: 'PERIODIC' });
    const e2 = await fakeEvaluation(f, 'staff2', { phase: 'FINAL' });
    cycleId = e1.cycleId;
    const score = (evaluationId: string, kind: 'INITIAL' | 'FINAL', predikat: string, numericScore: number) =>
      p.score.create({
        data: {
          evaluationId,
          kind,
          hasilKerja: 'SESUAI',
          perilaku: 'SESUAI',
          predikat,
          numericScore,
          flags: [],
          facts: {},
          trace: [],
          ruleSetVersionId: f.seed.ruleSetVersionId,
        },
      });
    await score(e1.id, 'INITIAL', 'BAIK', 95);
    await score(e2.id, 'INITIAL', 'BAIK', 100);
    await score(e2.id, 'FINAL', 'SANGAT_BAIK', 115);
    const now = Date.now();
    const task = (
      evaluationId: string,
      kind: string,
      assigneeId: string,
      dueInDays: number,
      extra: { escalated?: boolean; actingForId?: string; status?: 'OPEN' | 'DONE' } = {},
    ) =>
      p.task.create({
        data: {
          key: `${evaluationId}:${kind}:1`,
          regionId: f.seed.regionId,
          cycleId,
          evaluationId,
          kind,
          period: 1,
          assigneeId,
          dueAt: new Date(now + dueInDays * DAY),
          ...extra,
        },
      });
    await task(e1.id, 'REVIEW_PERIOD', kepalaBidang, -3);
    await task(e1.id, 'SUBMIT_REPORT', staff1, -1); // the employee's own: not the supervisor's lateness
    // escalated to the atasan, acting for the supervisor: still the supervisor's lateness
    await task(e2.id, 'REVIEW_PERIOD', kepalaDinas, -5, { escalated: true, actingForId: kepalaBidang });
    await task(e2.id, 'ANNUAL_RATING', kepalaDinas, 10, { escalated: true, actingForId: kepalaBidang, status: 'DONE' });
    const notify = (event: string, evaluationId: string, recipientId: string) =>
      p.notification.create({
        data: {
          regionId: f.seed.regionId,
          key: `${event}:${evaluationId}:${recipientId}`,
          event,
          channel: 'EMAIL',
          evaluationId,
          cycleId,
          recipientId,
          address: 'x@contoh.invalid',
          payload: {},
        },
      });
    await notify('REMINDER', e1.id, staff1);
    await notify('REMINDER', e1.id, kepalaBidang);
    await notify('ESCALATION', e2.id, kepalaDinas);
  });
  afterAll(() => f?.close());

  const base = () => `/admin/regions/demo/cycles/${cycleId}`;

  it('aggregates progress, distribution, overdue tasks by supervisor, reminders and escalations', async () => {
    const res = await f.req('GET', `${base()}/report`, { token: admin });
    expect(res.status).toBe(200);
    const r = await json<Report>(res);
    expect(r.total).toBe(2);
    expect(r.byPhase).toMatchObject({ PERIODIC: 1, FINAL: 1, TARGET_SETTING: 0 });
    expect(r.distribution).toMatchObject({ BAIK: 1, SANGAT_BAIK: 1, NONE: 0 });
    expect(r.overdueTasks).toEqual({ total: 3, byKind: { REVIEW_PERIOD: 2, SUBMIT_REPORT: 1 } });
    expect(r.openTasks.total).toBe(3);
    // both evaluations' pejabat penilai is the kepala bidang; the escalated one waits on the kepala dinas for them
    expect(r.overdueBySupervisor).toHaveLength(1);
    expect(r.overdueBySupervisor[0]).toMatchObject({ supervisor: { nip: NIPS.kepalaBidang }, unit: { code: 'DISDUKCAPIL-PDP' }, overdue: 2 });
    expect(Date.parse(r.overdueBySupervisor[0]!.oldestDueAt)).toBeLessThan(Date.now() - 4 * DAY);
    expect(r.reminders).toEqual({ notifications: 2, evaluations: 1 });
    expect(r.escalations).toEqual({ tasks: 2, open: 1, notifications: 1 });
    expect(r.units).toHaveLength(1);
    expect(r.units[0]).toMatchObject({ unit: { code: 'DISDUKCAPIL-PDP' }, evaluations: 2, rated: 2, byPhase: { PERIODIC: 1, FINAL: 1 } });
  });

  it('narrows to one unit and answers 404 for an unknown unit or cycle, 422 for a malformed unit code', async () => {
    const other = await json<Report>(await f.req('GET', `${base()}/report?unitCode=DISDUKCAPIL`, { token: admin }));
    expect(other.total).toBe(0);
    expect(other.overdueBySupervisor).toEqual([]);
    expect((await f.req('GET', `${base()}/report?unitCode=NOPE`, { token: admin })).status).toBe(404);
    expect((await f.req('GET', `/admin/regions/demo/cycles/nope/report`, { token: admin })).status).toBe(404);
    const bad = await f.req('GET', `${base()}/report.csv?unitCode=${encodeURIComponent('a b')}`, { token: admin });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('unitCode');
    expect((await f.req('GET', `${base()}/report.csv?delimiter=tab`, { token: admin })).status).toBe(422);
  });

  it('writes a CSV Excel opens right: BOM, inert formulas, 18-digit NIPs as text; csv-parse reads it back', async () => {
    const res = await f.req('GET', `${base()}/report.csv`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="kinerja-2020\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    // the NIP as Excel keeps it: ="<digits>", quoted for CSV
    expect(text).toContain(`"=""${NIPS.staff1}"""`);
    const rows = parse<Record<string, string>>(text, { bom: true, columns: true });
    expect(rows.map((r) => r.nip)).toEqual([`="${NIPS.staff1}"`, `="${NIPS.staff2}"`]);
    const [one, two] = rows;
    expect(one!.name).toBe(`'${INJECTION}`);
    expect(one).toMatchObject({ unit: 'DISDUKCAPIL-PDP', phase: 'PERIODIC', predikat: 'BAIK', final: 'false', openTasks: '2', overdueTasks: '2' });
    expect(one!.supervisorNip).toBe(`="${NIPS.kepalaBidang}"`);
    expect(two).toMatchObject({ predikat: 'SANGAT_BAIK', final: 'true', numericScore: '115' });
    // no cell a spreadsheet would run as a formula, besides the NIPs' own ="…"
    for (const r of rows) for (const v of Object.values(r)) expect(/^[=+\-@]/.test(v) && !/^="\d+"$/.test(v)).toBe(false);

    const semi = await f.req('GET', `${base()}/report.csv?delimiter=semicolon&unitCode=DISDUKCAPIL-PDP`, { token: admin });
    expect(semi.headers.get('content-disposition')).toContain('kinerja-2020-DISDUKCAPIL-PDP.csv');
    const semiRows = parse<Record<string, string>>(await semi.text(), { bom: true, columns: true, delimiter: ';' });
    expect(semiRows).toHaveLength(2);
  });

  it('writes an XLSX with the employees (NIP a text cell) and the distribution per unit', async () => {
    const res = await f.req('GET', `${base()}/report.xlsx`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/filename="kinerja-2020\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Pegawai', 'Unit']);
    const people = wb.getWorksheet('Pegawai')!;
    const header = (people.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 6)).toEqual(['nip', 'name', 'position', 'unit', 'phase', 'predikat']);
    const nip = people.getRow(2).getCell(1);
    expect(nip.type).toBe(ExcelJS.ValueType.String);
    expect(nip.value).toBe(NIPS.staff1);
    expect(nip.numFmt).toBe('@');
    expect(people.getRow(2).getCell(2).value).toBe(INJECTION); // a string cell: never evaluated
    expect(people.getRow(3).getCell(6).value).toBe('SANGAT_BAIK');
    expect(people.getRow(3).getCell(8).value).toBe(115);
    const units = wb.getWorksheet('Unit')!;
    const unitHeader = (units.getRow(1).values as unknown[]).slice(1);
    const row = units.getRow(2);
    expect(row.getCell(1).value).toBe('DISDUKCAPIL-PDP');
    expect(row.getCell(unitHeader.indexOf('BAIK') + 1).value).toBe(1);
    expect(row.getCell(unitHeader.indexOf('SANGAT_BAIK') + 1).value).toBe(1);
  });

  it('the distribution follows a score changed or removed, whoever writes it (the database keeps the predikat)', async () => {
    const p = f.db.prisma;
    const distribution = async () => (await json<Report>(await f.req('GET', `${base()}/report`, { token: admin }))).distribution;
    const e2 = await p.evaluation.findFirstOrThrow({ where: { cycleId, scores: { some: { kind: 'FINAL' } } } });
    const final = { evaluationId_kind: { evaluationId: e2.id, kind: 'FINAL' as const } };
    try {
      await p.score.update({ where: final, data: { predikat: 'KURANG' } });
      expect(await distribution()).toMatchObject({ BAIK: 1, SANGAT_BAIK: 0, KURANG: 1 });
      const removed = await p.score.delete({ where: final });
      // back to the initial score's predikat
      expect(await distribution()).toMatchObject({ BAIK: 2, SANGAT_BAIK: 0, KURANG: 0 });
      await p.score.create({ data: { ...removed, predikat: 'SANGAT_BAIK', facts: {}, trace: [] } });
      expect(await distribution()).toMatchObject({ BAIK: 1, SANGAT_BAIK: 1, KURANG: 0 });
    } finally {
      await p.score.update({ where: final, data: { predikat: 'SANGAT_BAIK' } });
    }
  });

  it("hides the cycle from another region's admin", async () => {
    const other = await f.login('admin-lain');
    expect((await f.req('GET', `${base()}/report.xlsx`, { token: other })).status).toBe(404);
  });
});
