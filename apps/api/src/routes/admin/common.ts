import { z } from '@hono/zod-openapi';
import { appendAudit, type Prisma, type PrismaClient } from '@kinerja/db';
import { idText } from '@kinerja/domain';
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { CSV_TYPE, XLSX_TYPE } from '../../tabular/readTable.js';

export const RegionParams = z.object({ regionCode: idText(64).openapi({ param: { name: 'regionCode', in: 'path' }, example: 'demo' }) });
export const withId = <K extends string>(key: K) =>
  RegionParams.extend({ [key]: idText(64).openapi({ param: { name: key, in: 'path' } }) } as { [P in K]: z.ZodString });

export const Paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};

export type Tx = Prisma.TransactionClient;

/** The table imports (employees, attendance): a whole file in the body, so their body limit is the import limit. */
export const TABLE_IMPORT_PATH = /^\/admin\/regions\/[^/]+\/(?:employees|attendance)\/import$/;

/** One audit event per admin state change, inside the change's transaction. */
export function audit(
  tx: Tx | PrismaClient,
  c: Context<AppEnv>,
  regionId: string,
  action: string,
  entityType: string,
  entityId: string,
  before: unknown,
  after: unknown,
) {
  const u = c.get('user');
  return appendAudit(tx, {
    regionId,
    actorUserId: u.userId,
    actorEmployeeId: u.employeeId,
    action,
    entityType,
    entityId,
    before,
    after,
    requestId: c.get('requestId'),
  });
}

export const RUNNING_PHASES = ['TARGET_SETTING', 'PERIODIC', 'ANNUAL_RATING', 'CALIBRATION', 'APPEAL_WINDOW', 'APPEAL'] as const;

/**
 * An import's request body: JSON with the given schema, or a CSV or XLSX file as the raw body (tabular/readTable.ts).
 * Not `required`: the JSON validator then runs only for JSON bodies; the handler reads a file itself.
 */
export const tableBody = <S extends z.ZodTypeAny>(json: S) => ({
  body: {
    required: false,
    content: {
      'application/json': { schema: json },
      [CSV_TYPE]: { schema: z.string().openapi({ description: 'UTF-8 CSV (BOM ignored), `,` or `;` separated, header row first' }) },
      [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary', description: 'XLSX workbook: the first worksheet, its first row the header' }) },
    },
  },
});

export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
