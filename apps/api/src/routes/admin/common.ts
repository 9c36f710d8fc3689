import { z } from '@hono/zod-openapi';
import { appendAudit, type Prisma, type PrismaClient } from '@kinerja/db';
import { idText } from '@kinerja/domain';
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';

export const RegionParams = z.object({ regionCode: idText(64).openapi({ param: { name: 'regionCode', in: 'path' }, example: 'demo' }) });
export const withId = <K extends string>(key: K) =>
  RegionParams.extend({ [key]: idText(64).openapi({ param: { name: key, in: 'path' } }) } as { [P in K]: z.ZodString });

export const Paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};

export type Tx = Prisma.TransactionClient;

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

/** Minimal RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const src = text.replace(/^\uFEFF/, '');
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
