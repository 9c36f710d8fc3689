/**
 * Tables written for spreadsheets: CSV through csv-stringify, XLSX through exceljs' streaming writer. One column list
 * describes both, so the CSV and the XLSX of a report never disagree on what a column holds.
 *
 * What spreadsheets get wrong unless told:
 *  - Excel opens a CSV without a byte-order mark as the system's code page: the UTF-8 BOM comes first.
 *  - a cell starting with = + - @ (or a tab or CR) is run as a formula (CSV injection): such text is prefixed with a
 *    single quote (OWASP), which Excel shows as text.
 *  - an 18-digit NIP becomes 1.99205E+17: CSV writes it as ="<digits>" (a formula whose value is the text; the
 *    import side reads that form back), XLSX as a string cell formatted '@'.
 */
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';

export type CellValue = string | number | boolean | null;

export interface Column<R> {
  /** header in the CSV and the sheet */
  header: string;
  value: (row: R) => CellValue;
  /** text made of digits that must stay text (NIP) */
  digits?: boolean;
  /** XLSX column width in characters */
  width?: number;
}

export interface Sheet<R> {
  name: string;
  columns: readonly Column<R>[];
  rows: AsyncIterable<R> | Iterable<R>;
}

/** A sheet whose row type is closed over, so sheets of different rows go into one workbook. */
export interface SheetWriter {
  name: string;
  write: (ws: ExcelJS.Worksheet) => Promise<void>;
}

export function sheet<R>(s: Sheet<R>): SheetWriter {
  return {
    name: s.name,
    write: async (ws) => {
      ws.columns = s.columns.map((c) => ({
        header: c.header,
        width: c.width ?? Math.max(10, c.header.length + 2),
        ...(c.digits ? { style: { numFmt: '@' } } : {}),
      }));
      ws.getRow(1).font = { bold: true };
      for await (const r of s.rows) {
        const row = ws.addRow(s.columns.map((c) => c.value(r)));
        s.columns.forEach((c, i) => {
          if (c.digits) row.getCell(i + 1).numFmt = '@';
        });
        row.commit();
      }
    },
  };
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet would run as a formula, made inert (OWASP CSV injection). */
export const inertText = (s: string): string => (FORMULA_START.test(s) ? `'${s}` : s);

/** A CSV cell: numbers and booleans as they are, text made inert, digits kept as text. */
export function csvValue(v: CellValue, digits = false): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  if (digits && /^\d+$/.test(v)) return `="${v}"`;
  return inertText(v);
}

/** ',' by default; ';' is what Excel reads and writes where the decimal mark is a comma (Indonesian Windows). */
export type CsvDelimiter = ',' | ';';

/** The rows as a UTF-8 CSV with a BOM, streamed: a 50,000-row export never sits in memory as one string. */
export function csvStream<R>(columns: readonly Column<R>[], rows: AsyncIterable<R> | Iterable<R>, delimiter: CsvDelimiter = ','): ReadableStream<Uint8Array> {
  const csv = stringify({ bom: true, record_delimiter: 'windows', delimiter });
  csv.write(columns.map((c) => c.header));
  void (async () => {
    try {
      for await (const r of rows) {
        if (!csv.write(columns.map((c) => csvValue(c.value(r), c.digits)))) await new Promise((res) => csv.once('drain', res));
      }
      csv.end();
    } catch (err) {
      csv.destroy(err as Error);
    }
  })();
  return Readable.toWeb(csv) as ReadableStream<Uint8Array>;
}

/** The sheets as one XLSX workbook, streamed (exceljs' WorkbookWriter commits each row as it is written). */
export function xlsxStream(sheets: readonly SheetWriter[]): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  void (async () => {
    try {
      for (const s of sheets) {
        const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
        await s.write(ws);
        ws.commit();
      }
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** RFC 6266 content-disposition with an ASCII fallback and the UTF-8 name. */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';
