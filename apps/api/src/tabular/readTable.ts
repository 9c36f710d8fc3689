/**
 * Reading an uploaded table (CSV or XLSX) into rows of text cells for the imports: one reader for every import, so
 * the employee and the attendance import accept the same files and report rows the same way.
 *
 * Rows are numbered as the user sees them in their spreadsheet: the header is row 1, the first data row is row 2,
 * and empty rows are skipped without renumbering what follows. Every cell is text: numbers without an exponent,
 * dates as YYYY-MM-DD, booleans as true/false, and `="…"` (how a CSV export keeps an NIP as text for Excel) as what
 * is inside the quotes.
 */
import type { Info } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Lang } from '@kinerja/domain';
import { ProblemError, type FieldError } from '../problem.js';

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** the body content types an import accepts besides JSON, for the routes' OpenAPI */
export const TABLE_TYPES = [CSV_TYPE, XLSX_TYPE] as const;

export interface TableRow {
  /** the row's number in the spreadsheet (header = 1) */
  row: number;
  /** non-empty cells by column name, trimmed */
  cells: Record<string, string>;
  /** columns whose number had more digits than a spreadsheet keeps (an 18-digit NIP typed as a number) */
  imprecise: string[];
}
export interface Table {
  header: string[];
  rows: TableRow[];
}

export interface TableSpec {
  /** the columns the import knows */
  columns: readonly string[];
  /** the columns every file must have */
  required?: readonly string[];
  /** the most data rows a file may hold */
  maxRows: number;
}

const msg = (lang: Lang, id: string, en: string) => (lang === 'en' ? en : id);
const fileError = (lang: Lang, code: string, id: string, en: string, extra: Partial<FieldError> = {}): ProblemError =>
  new ProblemError('VALIDATION_FAILED', { errors: [{ pointer: '', field: 'file', code, message: msg(lang, id, en), ...extra }] });

/** The media type of a table upload, or null for anything else (JSON). */
export function tableType(contentType: string | undefined): typeof CSV_TYPE | typeof XLSX_TYPE | null {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return media === CSV_TYPE ? CSV_TYPE : media === XLSX_TYPE ? XLSX_TYPE : null;
}

/** `="199205…"`: the cell's text inside the formula's quotes. */
const TEXT_FORMULA = /^="((?:[^"]|"")*)"$/s;
const unformula = (s: string) => {
  const m = TEXT_FORMULA.exec(s);
  return m ? m[1]!.replace(/""/g, '"') : s;
};

/** Excel on Indonesian Windows separates with `;` (the decimal comma takes `,`): the header line says which one. */
function delimiterOf(text: string): ',' | ';' {
  const header = text.split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '';
  const count = (ch: string) => header.split(ch).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** UTF-8 (with or without a BOM); else Windows-1252, what Excel's plain "CSV" saves on Windows. */
function decodeCsv(body: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('windows-1252').decode(body);
  }
}

/**
 * The records with their spreadsheet row numbers. Empty lines are skipped by the parser and counted back into the
 * numbering (a record's row is the records and empty lines up to it): parsing them as records costs seconds per
 * hundred thousand. The parser stops after `maxRecords`, so a huge file is refused without reading all of it.
 */
function parseCsvRecords(text: string, lang: Lang, maxRecords: number): { row: number; cells: string[] }[] {
  try {
    const records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      to: maxRecords,
    }) as unknown as { record: string[]; info: Pick<Info, 'records' | 'empty_lines'> }[]; // the typings leave out `info: true`
    return records.map(({ record, info }) => ({ row: info.records + info.empty_lines, cells: record }));
  } catch (err) {
    const e = err as { code?: unknown; lines?: unknown };
    const line = typeof e.lines === 'number' ? e.lines : undefined;
    throw fileError(
      lang,
      'invalid_csv',
      `berkas CSV tidak dapat dibaca${line ? ` (baris ${line})` : ''}: ${typeof e.code === 'string' ? e.code : 'format'}`,
      `the CSV file cannot be read${line ? ` (line ${line})` : ''}: ${typeof e.code === 'string' ? e.code : 'format'}`,
      line ? { row: line } : {},
    );
  }
}

const SAFE_DIGITS = Number.MAX_SAFE_INTEGER;
const plainNumber = (n: number) => n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });

interface Cell {
  text: string;
  imprecise: boolean;
}

function cellText(value: ExcelJS.CellValue): Cell {
  const plain = (text: string): Cell => ({ text, imprecise: false });
  if (value === null || value === undefined) return plain('');
  if (typeof value === 'number') return { text: plainNumber(value), imprecise: Number.isInteger(value) && Math.abs(value) > SAFE_DIGITS };
  if (typeof value === 'string') return plain(unformula(value));
  if (typeof value === 'boolean') return plain(value ? 'true' : 'false');
  if (value instanceof Date) return plain(Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10));
  if ('richText' in value) return plain(value.richText.map((r) => r.text).join(''));
  if ('error' in value) return plain(value.error);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (result !== undefined && result !== null && !(typeof result === 'object' && 'error' in result)) return cellText(result);
    // a text formula saved without its result, as our exports write NIPs: ="199205…"
    const formula = (value as ExcelJS.CellFormulaValue).formula ?? '';
    return plain(unformula(`=${formula}`));
  }
  if ('text' in value) return cellText(value.text);
  return plain('');
}

async function xlsxRecords(bytes: ArrayBuffer, lang: Lang, maxRows: number): Promise<{ records: Map<number, Cell[]>; last: number }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes);
  } catch {
    throw fileError(lang, 'invalid_xlsx', 'berkas bukan XLSX yang dapat dibaca', 'the file is not a readable XLSX workbook');
  }
  const ws = wb.worksheets[0];
  const records = new Map<number, Cell[]>();
  if (!ws) return { records, last: 0 };
  if (ws.actualRowCount > maxRows + 1) throw tooManyRows(lang, maxRows);
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = [];
    for (let col = 1; col <= row.cellCount; col++) cells.push(cellText(row.getCell(col).value));
    records.set(rowNumber, cells);
  });
  return { records, last: ws.rowCount };
}

const tooManyRows = (lang: Lang, maxRows: number) =>
  fileError(lang, 'too_big', `berkas maksimal ${maxRows} baris data`, `the file may hold at most ${maxRows} data rows`);

/**
 * Read an uploaded table and check its header against the import's columns. A file that cannot be read, has no
 * header or unknown, missing or repeated columns is a 422 problem naming the file or the column (row 1); rows are
 * left to the import to check.
 */
export async function readTable(type: typeof CSV_TYPE | typeof XLSX_TYPE, body: ArrayBuffer, spec: TableSpec, lang: Lang): Promise<Table> {
  if (body.byteLength === 0) throw fileError(lang, 'required', 'berkas kosong', 'the file is empty');
  let records: Map<number, Cell[]>;
  if (type === CSV_TYPE) {
    // rows of empty cells (`;;;`, what a spreadsheet saves for a blank row) are records too: room for as many
    const limit = 2 * (spec.maxRows + 1);
    const parsed = parseCsvRecords(decodeCsv(body), lang, limit);
    if (parsed.length >= limit) throw tooManyRows(lang, spec.maxRows);
    records = new Map(parsed.map(({ row, cells }) => [row, cells.map((c) => ({ text: unformula(c.trim()), imprecise: false }))]));
  } else {
    records = (await xlsxRecords(body, lang, spec.maxRows)).records;
  }
  const nonEmpty = [...records.entries()].filter(([, cells]) => cells.some((c) => c.text.trim() !== ''));
  const [headerEntry, ...data] = nonEmpty;
  if (!headerEntry) throw fileError(lang, 'required', 'berkas tidak berisi baris judul kolom', 'the file has no header row');
  const [headerRow, headerCells] = headerEntry;
  const header = headerCells.map((c) => c.text.trim());
  while (header.length && header.at(-1) === '') header.pop();

  const errors: FieldError[] = [];
  const col = (name: string, code: string, id: string, en: string) =>
    errors.push({ pointer: `/header/${name}`, field: name, code, message: msg(lang, id, en), row: headerRow });
  header.forEach((h, i) => {
    if (h === '') col(`#${i + 1}`, 'required', `judul kolom ke-${i + 1} kosong`, `column ${i + 1} has no name`);
    else if (!spec.columns.includes(h))
      col(h, 'unrecognized_key', `kolom tidak dikenal (yang dikenal: ${spec.columns.join(', ')})`, `unknown column (known: ${spec.columns.join(', ')})`);
    else if (header.indexOf(h) !== i) col(h, 'duplicate', 'kolom ganda', 'repeated column');
  });
  for (const h of spec.required ?? []) if (!header.includes(h)) col(h, 'required', 'kolom wajib tidak ada', 'required column missing');
  if (errors.length) throw new ProblemError('VALIDATION_FAILED', { errors });
  if (data.length > spec.maxRows) throw tooManyRows(lang, spec.maxRows);

  const rows = data.map(([row, cells]): TableRow => {
    const out: TableRow = { row, cells: {}, imprecise: [] };
    header.forEach((h, i) => {
      const cell = cells[i];
      const v = (cell?.text ?? '').trim();
      if (v === '') return;
      out.cells[h] = v;
      if (cell?.imprecise) out.imprecise.push(h);
    });
    cells.slice(header.length).forEach((c, i) => {
      if (c.text.trim() !== '')
        errors.push({
          pointer: `/${row}`,
          field: `#${header.length + i + 1}`,
          code: 'unrecognized_key',
          message: msg(lang, 'isi di luar kolom yang berjudul', 'a value outside the named columns'),
          row,
        });
    });
    return out;
  });
  if (errors.length) throw new ProblemError('VALIDATION_FAILED', { errors });
  return { header, rows };
}

/** The field problems of cells whose numbers lost digits in the spreadsheet: the user must format the column as text. */
export function impreciseErrors(t: TableRow, lang: Lang): FieldError[] {
  return t.imprecise.map((h) => ({
    pointer: `/${t.row}/${h}`,
    field: h,
    code: 'imprecise_number',
    message: msg(
      lang,
      'angka terlalu panjang untuk sel angka (digit terakhir hilang); format kolom sebagai Teks lalu ketik ulang',
      'the number is too long for a number cell (its last digits are lost); format the column as Text and type it again',
    ),
    row: t.row,
  }));
}
