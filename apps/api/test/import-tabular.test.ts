/**
 * The imports read CSV as Excel on Indonesian Windows saves it (`;`, BOM, CRLF) and XLSX workbooks (built here with
 * exceljs): a problem names the row as the spreadsheet numbers it (header = 1) and the column, nothing is applied
 * until every row is right, and the streamed progress works for a file as for JSON. Real database, app.request().
 */
import ExcelJS from 'exceljs';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionToday } from '../src/routes/admin/facts.js';
import { XLSX_TYPE } from '../src/tabular/readTable.js';
import { json, NIPS, setup, type Fixture } from './helpers.js';

interface Problem {
  code: string;
  errors?: { pointer: string; field: string; code: string; row?: number; message: string }[];
}

type Cell = string | number | boolean | Date | null | ExcelJS.CellFormulaValue;

async function xlsx(rows: Cell[][], textColumns: number[] = []): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Pegawai');
  for (const col of textColumns) ws.getColumn(col).numFmt = '@';
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer()).slice();
}

const errorsOf = (p: Problem) => (p.errors ?? []).map((e) => `${e.row}:${e.field}:${e.code}:${e.pointer}`);
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe.each(dbKinds())('CSV and XLSX imports (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  const base = '/admin/regions/demo';
  const upload = (path: string, body: Uint8Array<ArrayBuffer> | string, type: string, headers: Record<string, string> = {}) =>
    Promise.resolve(f.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': type, ...headers }, body }));
  const employee = (nip: string) => f.db.prisma.employee.findUnique({ where: { regionId_nip: { regionId: f.seed.regionId, nip } } });

  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
  });
  afterAll(() => f?.close());

  it('a `;` CSV with a BOM (Excel on Indonesian Windows): quoted cells, ="…" NIPs, CRLF', async () => {
    const csv =
      '\uFEFFnip;name;position;unitCode;superiorNip\r\n' +
      '="199707072020011001";"Eka, S.Kom.";Pranata Komputer;DISDUKCAPIL-PDP;\r\n' +
      `\r\n` +
      `199808082021012002;"Fajar ""Jaja"" Nugroho";Staf;DISDUKCAPIL-PDP;="199707072020011001"\r\n`;
    const res = await upload(`${base}/employees/import`, csv, 'text/csv; charset=utf-8');
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ total: 2, created: 2, updated: 0 });
    const eka = await employee('199707072020011001');
    expect(eka?.name).toBe('Eka, S.Kom.');
    expect(await employee('199808082021012002')).toMatchObject({ name: 'Fajar "Jaja" Nugroho', superiorId: eka!.id });

    // a bad `;` row is named by its spreadsheet row (the empty line counts) and column
    const bad = await upload(
      `${base}/employees/import`,
      `nip;name;position;unitCode\r\n199909092022011003;Gina;Staf;DISDUKCAPIL\r\n\r\n12345;Hadi;Staf;DISDUKCAPIL\r\n`,
      'text/csv',
    );
    expect(bad.status).toBe(422);
    expect(errorsOf(await json<Problem>(bad))).toEqual(['4:nip:custom:/4/nip']);
    expect(await employee('199909092022011003')).toBeNull();
  });

  it('empty lines count in the row numbers, however many there are', async () => {
    const csv = `nip;name;position;unitCode\r\n199909092022011003;Gina;Staf;DISDUKCAPIL${'\r\n'.repeat(200_000)}\r\n12345;Hadi;Staf;DISDUKCAPIL\r\n`;
    const res = await upload(`${base}/employees/import`, csv, 'text/csv');
    expect(res.status).toBe(422);
    // header row 1, Gina row 2, 200,000 empty rows (3 to 200,002): Hadi is row 200,003
    expect(errorsOf(await json<Problem>(res))).toEqual(['200003:nip:custom:/200003/nip']);
  });

  it('a CSV that is not UTF-8 is read as Windows-1252 (what Excel saves as plain CSV)', async () => {
    const text = 'nip;name;position;unitCode\r\n199606062020011004;Ren\u00e9 Sitompul;Staf;DISDUKCAPIL\r\n';
    const bytes = Uint8Array.from(text, (ch) => ch.charCodeAt(0));
    const res = await upload(`${base}/employees/import`, bytes, 'text/csv');
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await employee('199606062020011004'))?.name).toBe('Ren\u00e9 Sitompul');
  });

  it('XLSX with one bad row: the report names the row and column and nothing is applied; the fixed file applies, with progress', async () => {
    const header = ['nip', 'name', 'position', 'positionKind', 'unitCode', 'superiorNip'];
    const rows = (unit: string): Cell[][] => [
      header,
      ['199101012015011001', 'Indah Permata', 'Kepala Seksi', 'STRUKTURAL', 'DISDUKCAPIL', null],
      ['199102022016012002', 'Joko Santoso', 'Pengadministrasi', 'PELAKSANA', unit, '199101012015011001'],
      ['199103032017011003', 'Kartika Sari', 'Pengadministrasi', 'PELAKSANA', 'DISDUKCAPIL', { formula: '"199101012015011001"', result: '199101012015011001' }],
    ];
    const bad = await upload(`${base}/employees/import`, await xlsx(rows('TIDAK-ADA'), [1, 6]), XLSX_TYPE, { accept: 'application/x-ndjson' });
    expect(bad.status).toBe(422);
    const problem = await json<Problem>(bad);
    expect(errorsOf(problem)).toEqual(['3:unitCode:unknown_unit:/3/unitCode']);
    expect(await employee('199101012015011001')).toBeNull();

    const fixed = await upload(`${base}/employees/import`, await xlsx(rows('DISDUKCAPIL-PDP'), [1, 6]), XLSX_TYPE, { accept: 'application/x-ndjson' });
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await fixed.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; phase?: string });
    expect(lines[0]).toEqual({ type: 'progress', phase: 'validated', done: 3, total: 3 });
    expect(lines.at(-1)).toMatchObject({ type: 'result', total: 3, created: 3 });
    const boss = await employee('199101012015011001');
    expect(await employee('199103032017011003')).toMatchObject({ superiorId: boss!.id, name: 'Kartika Sari' });
    expect(await employee('199102022016012002')).toMatchObject({ positionKind: 'PELAKSANA', superiorId: boss!.id });
  });

  it('an NIP typed as a number in XLSX: its lost digits are named, not imported as another NIP', async () => {
    const file = await xlsx([
      ['nip', 'name', 'position', 'unitCode'],
      [199205202019031003, 'Angka Panjang', 'Staf', 'DISDUKCAPIL'],
    ]);
    const res = await upload(`${base}/employees/import`, file, XLSX_TYPE);
    expect(res.status).toBe(422);
    const p = await json<Problem>(res);
    expect(errorsOf(p)).toEqual(['2:nip:imprecise_number:/2/nip']);
    expect(p.errors![0]!.message).toMatch(/Teks/);
  });

  it('an XLSX import with an Idempotency-Key applies once: the retry is the stored answer, another file under the key is refused', async () => {
    const path = `${base}/employees/import`;
    const file = (name: string) =>
      xlsx(
        [
          ['nip', 'name', 'position', 'unitCode'],
          ['199404042019011005', name, 'Staf', 'DISDUKCAPIL'],
        ],
        [1],
      );
    const key = { 'idempotency-key': 'import-xlsx-1' };
    // one workbook's bytes for the first attempt and its retry: exceljs stamps each workbook it writes with the time
    const workbook = await file('Lestari Wulan');
    const first = await upload(path, workbook, XLSX_TYPE, key);
    expect(first.status, await first.clone().text()).toBe(200);
    const report = await json(first);
    expect(report).toMatchObject({ total: 1, created: 1 });
    const stored = await employee('199404042019011005');
    expect(stored?.name).toBe('Lestari Wulan');

    const retry = await upload(path, workbook, XLSX_TYPE, key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(await json(retry)).toEqual(report);
    expect((await employee('199404042019011005'))?.updatedAt).toEqual(stored!.updatedAt);

    // the key is bound to the file's bytes: another workbook under it is not taken for a retry
    const other = await upload(path, await file('Lestari Wulandari'), XLSX_TYPE, key);
    expect(other.status).toBe(422);
    expect((await json<Problem>(other)).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await employee('199404042019011005'))?.name).toBe('Lestari Wulan');
  });

  it('a file over the JSON body limit imports; one over the import limit is 413 naming the body, nothing applied', async () => {
    const path = `${base}/employees/import`;
    // 7,000 rows with contact columns: 1.3 MB, more than a JSON request may carry (validated only: the limit is the point)
    const header = 'nip;name;position;positionKind;unitCode;email;phone\r\n';
    const row = (i: number) =>
      `199505${String(1 + Math.floor(i / 1000)).padStart(2, '0')}2019011${String(i % 1000).padStart(3, '0')};Pegawai Uji Coba Nomor ${i};Pengadministrasi Perkantoran Umum;PELAKSANA;DISDUKCAPIL;pegawai.uji.${i}@disdukcapil.demo.go.id;+62812${String(1000000 + i)}\r\n`;
    const body = header + Array.from({ length: 7000 }, (_, i) => row(i)).join('');
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const big = await upload(`${path}?dryRun=true`, body, 'text/csv');
    expect(big.status, await big.clone().text()).toBe(200);
    expect(await json(big)).toMatchObject({ total: 7000, dryRun: true });

    const tooBig = await upload(path, `nip;name;position;unitCode\r\n199606062019011007;Nanda;Staf;DISDUKCAPIL${'\r\n'.repeat(17 * 1024 * 1024)}`, 'text/csv');
    expect(tooBig.status).toBe(413);
    const problem = await json<Problem>(tooBig);
    expect(problem.errors![0]).toMatchObject({ field: 'body', code: 'too_big' });
    expect(problem.errors![0]!.message).toContain('32 MiB');
    expect(await employee('199606062019011007')).toBeNull();
  });

  it('bad files are 4xx problems naming the file or the column, never a 500', async () => {
    const path = `${base}/employees/import`;
    const notXlsx = await upload(path, 'this is not a workbook', XLSX_TYPE);
    expect(notXlsx.status).toBe(422);
    expect((await json<Problem>(notXlsx)).errors![0]).toMatchObject({ field: 'file', code: 'invalid_xlsx' });
    const empty = await upload(path, '', 'text/csv');
    expect([415, 422]).toContain(empty.status);
    const blank = await upload(path, '\r\n;;\r\n', 'text/csv');
    expect(blank.status).toBe(422);
    expect((await json<Problem>(blank)).errors![0]).toMatchObject({ field: 'file', code: 'required' });
    const emptyBook = await upload(path, await xlsx([]), XLSX_TYPE);
    expect(emptyBook.status).toBe(422);
    const unknown = await upload(path, await xlsx([['nip', 'nama', 'position', 'unitCode']]), XLSX_TYPE);
    expect(unknown.status).toBe(422);
    expect(errorsOf(await json<Problem>(unknown))).toEqual(['1:nama:unrecognized_key:/header/nama', '1:name:required:/header/name']);
    const broken = await upload(path, 'nip,name\r\n"199101012015011001,Tanpa tutup\r\n', 'text/csv');
    expect(broken.status).toBe(422);
    expect((await json<Problem>(broken)).errors![0]).toMatchObject({ field: 'file', code: 'invalid_csv' });
  });

  it('attendance from XLSX: date cells, booleans and numbers read as text', async () => {
    const today = regionToday(new Date(), 'Asia/Jakarta');
    const d1 = addDays(today, -20);
    const d2 = addDays(today, -19);
    const file = await xlsx(
      [
        ['nip', 'date', 'present', 'lateMinutes', 'source'],
        [NIPS.staff1, new Date(`${d1}T00:00:00Z`), true, 7, 'mesin'],
        [NIPS.staff1, d2, 'tidak', null, null],
      ],
      [1],
    );
    const res = await upload(`${base}/attendance/import`, file, XLSX_TYPE);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ total: 2, valid: 2, created: 2 });
    const recs = await f.db.prisma.attendanceRecord.findMany({ where: { employeeId: f.seed.employees.staff1 }, orderBy: { date: 'asc' } });
    expect(recs.map((r) => [r.date.toISOString().slice(0, 10), r.present, r.lateMinutes])).toEqual([
      [d1, true, 7],
      [d2, false, 0],
    ]);

    const bad = await upload(
      `${base}/attendance/import`,
      await xlsx([
        ['nip', 'date', 'present'],
        [NIPS.staff2, d1, 'mungkin'],
      ]),
      XLSX_TYPE,
    );
    expect(bad.status).toBe(422);
    expect(errorsOf(await json<Problem>(bad))).toEqual(['2:present:invalid_type:/2/present']);
  });
});
