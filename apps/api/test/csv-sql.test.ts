/**
 * The export's CSV lines are written by the database (csvLineSql) and must be byte for byte what csv-stringify writes
 * for the same values made spreadsheet-safe: quoting, doubled quotes, formula starts made inert (OWASP), NIPs as
 * ="<digits>", NULL as an empty field, numbers and booleans as they are, for both delimiters.
 */
import { Prisma, type Db } from '@kinerja/db';
import { createTestDb, dbKinds } from '@kinerja/testing';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLineSql, type CsvDelimiter } from '../src/tabular/write.js';

/** The reference: a cell as a spreadsheet must get it, then csv-stringify's quoting with CRLF records. */
const safeCell = (v: string | number | boolean | null, digits = false): string => {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  if (digits && /^\d+$/.test(v)) return `="${v}"`;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
};

const TEXTS = [
  'Siti Aminah',
  '',
  'koma, di tengah',
  'titik;koma',
  'kutip "ganda"',
  '"',
  'baris\r\nbaru',
  'hanya\nLF',
  'hanya\rCR',
  '=SUM(A1)',
  '+62 812',
  '-5',
  '@admin',
  '\tTab',
  '\rCR di depan',
  '=", tercampur;',
  'Ünïcödé — ✓',
];
const NIPS = ['198001012005011001', '0', '19800101 2005', 'A123', '=123', ''];
const NUMBERS = [0, 1, -3, 87.35, 0.1 + 0.2, 12345678.5, 100];

describe.each(dbKinds())('CSV lines written by the database (%s)', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  /** what csv-stringify writes for one row of (text, nip, number, boolean, null) */
  const expected = (row: [string, string, number, boolean], delimiter: CsvDelimiter) =>
    stringify([[safeCell(row[0]), safeCell(row[1], true), safeCell(row[2]), safeCell(row[3]), safeCell(null)]], { record_delimiter: 'windows', delimiter });

  it.each([',', ';'] as const)('match csv-stringify for every awkward value (delimiter %s)', async (delimiter) => {
    const rows: [string, string, number, boolean][] = [];
    for (const [i, t] of TEXTS.entries()) rows.push([t, NIPS[i % NIPS.length]!, NUMBERS[i % NUMBERS.length]!, i % 2 === 0]);
    for (const row of rows) {
      const line = csvLineSql(
        [
          { sql: Prisma.sql`${row[0]}::text`, kind: 'text' },
          { sql: Prisma.sql`${row[1]}::text`, kind: 'digits' },
          { sql: Prisma.sql`${row[2]}::float8`, kind: 'plain' },
          { sql: Prisma.sql`${row[3]}::boolean`, kind: 'plain' },
          { sql: Prisma.sql`NULL::text`, kind: 'text' },
        ],
        delimiter,
      );
      const [got] = await db.prisma.$queryRaw<{ line: string }[]>`SELECT ${line} AS line`;
      expect(got!.line, JSON.stringify(row)).toBe(expected(row, delimiter));
    }
  });
});
