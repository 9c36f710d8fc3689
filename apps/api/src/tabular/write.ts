/**
 * Tables written for spreadsheets: CSV lines written by PostgreSQL with csv-stringify's rules (csvLineSql; the test
 * csv-sql.test.ts holds csv-stringify to them), XLSX through exceljs' streaming writer. One column list describes both, so the CSV and the XLSX of a
 * report never disagree on what a column holds.
 *
 * What spreadsheets get wrong unless told:
 *  - Excel opens a CSV without a byte-order mark as the system's code page: the UTF-8 BOM comes first.
 *  - a cell starting with = + - @ (or a tab or CR) is run as a formula (CSV injection): such text is prefixed with a
 *    single quote (OWASP), which Excel shows as text.
 *  - an 18-digit NIP becomes 1.99205E+17: CSV writes it as ="<digits>" (a formula whose value is the text; the
 *    import side reads that form back), XLSX as a string cell formatted '@'.
 */
import { PassThrough, Readable } from 'node:stream';
import { Prisma } from '@kinerja/db';
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
      // one style object per column, shared by its cells: exceljs knows a style object it has seen and gives it its
      // id at once, where a cell's own copy would have it render and look up the style's XML, cell by cell
      const styles = s.columns.map((c) => (c.digits ? { numFmt: '@' } : {}));
      for await (const r of s.rows) {
        const row = ws.addRow(s.columns.map((c) => c.value(r)));
        styles.forEach((style, i) => (row.getCell(i + 1).style = style));
        row.commit();
      }
    },
  };
}

/** ',' by default; ';' is what Excel reads and writes where the decimal mark is a comma (Indonesian Windows). */
export type CsvDelimiter = ',' | ';';

/**
 * A CSV field as csv-stringify writes it with a CRLF record delimiter: quoted, its quotes doubled, when it holds a quote, the
 * delimiter or the record delimiter CRLF (with a record delimiter set, csv-stringify leaves a lone CR or LF unquoted);
 * as it is otherwise, an empty field too.
 */
export function csvField(s: string, delimiter: CsvDelimiter): string {
  return s.includes('"') || s.includes(delimiter) || s.includes('\r\n') ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * How a cell's SQL value becomes its CSV text in csvLineSql: `text` made inert (a formula start prefixed with a
 * quote) and quoted when needed, `digits` as ="<digits>" when it is all digits (else as text), `plain` a number's or
 * a boolean's text as it is (never quoted or made inert). NULL is an empty field.
 */
export interface SqlCsvCell {
  sql: Prisma.Sql;
  kind: 'text' | 'digits' | 'plain';
}

/** `'` before text a spreadsheet would run as a formula: FORMULA_START in SQL. */
const inertSql = (x: Prisma.Sql) => Prisma.sql`CASE WHEN left(${x}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${x} ELSE ${x} END`;

function csvCellSql({ sql: x, kind }: SqlCsvCell, delimiter: CsvDelimiter): Prisma.Sql {
  // PostgreSQL's text of an integer, of a boolean ('true', 'false') and of a double (the shortest exact digits, as
  // JavaScript's String() writes them for the scores' range) is JavaScript's String(); it holds no quote, delimiter or line break
  if (kind === 'plain') return Prisma.sql`(${x})::text`;
  // the delimiter is one of two fixed characters, written into the statement. Most text needs nothing: one regular
  // expression (no formula start, no quote, delimiter or CR anywhere; not empty) passes it on as it is, and only the
  // rest takes csvField's and the formula start's tests one by one
  const d = Prisma.raw(`'${delimiter}'`);
  const plainText = Prisma.raw(`'^[^-=+@\\t\\r"${delimiter}][^"${delimiter}\\r]*$'`);
  const quoted = Prisma.sql`strpos(${x}, '"') > 0 OR strpos(${x}, ${d}) > 0 OR strpos(${x}, chr(13) || chr(10)) > 0`;
  const text = Prisma.sql`CASE WHEN ${x} ~ ${plainText} THEN ${x}
    WHEN ${quoted} THEN '"' || replace(${inertSql(x)}, '"', '""') || '"' ELSE ${inertSql(x)} END`;
  // all digits: ="<digits>" holds quotes, so csv-stringify quotes it
  return kind === 'digits' ? Prisma.sql`CASE WHEN ${x} ~ '^[0-9]+$' THEN '"=""' || ${x} || '"""' ELSE ${text} END` : text;
}

/**
 * One CSV line of `cells`, its CRLF included, as an SQL text expression: byte for byte what csv-stringify writes for the
 * same values. PostgreSQL formats the rows and the API passes the text on: at 50,000 rows no row is decoded into
 * JavaScript values and no cell formatted in JavaScript. concat() writes a NULL cell as an empty field, and builds
 * the line in one call where `||` would copy it once a cell.
 */
export function csvLineSql(cells: readonly SqlCsvCell[], delimiter: CsvDelimiter): Prisma.Sql {
  const cellsSql = Prisma.join(
    cells.map((c) => csvCellSql(c, delimiter)),
    `, '${delimiter}', `,
  );
  return Prisma.sql`concat(${cellsSql}, chr(13), chr(10))`;
}

/**
 * A CSV of lines written already (each ending in CRLF, e.g. by csvLineSql): the UTF-8 BOM
 * and the header line at once, then each chunk of `lines` as the client reads on.
 */
export function csvLinesStream(header: readonly string[], lines: AsyncIterable<string>, delimiter: CsvDelimiter = ','): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = lines[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${header.map((h) => csvField(h, delimiter)).join(delimiter)}\r\n`));
    },
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await it.return?.();
    },
  });
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
