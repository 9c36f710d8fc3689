import { createRoute, z } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { hashPassword } from '@kinerja/db';
import { dateTime, idText, multilineText, Nip, PositionKind, text, UnitKind, type Lang } from '@kinerja/domain';
import { changeSupervisor, closeEvaluation } from '@kinerja/workflows';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError, type FieldError } from '../../problem.js';
import { revokeSessions } from '../../auth/tokens.js';
import { recordAnswer } from '../../idempotency.js';
import { bearer, Code, jsonBody, newRouter, ok, problems } from '../../router.js';
import { IsoDateTime } from '../../schemas.js';
import { issuesToErrors, jsonPointer } from '../../validation.js';
import { audit, Paging, RegionParams, RUNNING_PHASES, tableBody, withId, type Tx } from './common.js';
import { impreciseErrors, readTable, tableType, type TableSpec } from '../../tabular/readTable.js';
import { Email, Phone } from './contact.js';
import { applyEmployeeImport, hashImportPasswords, type ImportPhase } from './employee-import.js';

const tags = ['admin: organisation'];

const UnitName = text({ min: 3, max: 200 });
const PersonName = text({ min: 3, max: 200 });
const Position = text({ min: 2, max: 300 });
/** pangkat, e.g. "Penata Muda" */
const Pangkat = text({ min: 3, max: 100 });
/** golongan ruang, e.g. "III/a" (PNS) or "IX" (PPPK) */
const Golongan = text({ min: 1, max: 20 });

const UnitInput = z
  .object({ code: Code, name: UnitName, kind: UnitKind.default('LAINNYA'), parentCode: Code.optional() })
  .strict()
  .openapi('UnitInput');
const UnitPatch = z.object({ name: UnitName.optional(), kind: UnitKind.optional(), parentCode: Code.nullable().optional() }).strict().openapi('UnitPatch');

const EmployeeInput = z
  .object({
    nip: Nip,
    name: PersonName,
    position: Position,
    positionKind: PositionKind.default('PELAKSANA'),
    unitCode: Code,
    superiorNip: Nip.nullable().optional(),
    pangkat: Pangkat.nullable().optional(),
    golongan: Golongan.nullable().optional(),
    /** where notifications reach the employee (lower-cased); null or absent: none */
    email: Email.nullable().optional(),
    /** WhatsApp/SMS number, stored in E.164 (+6281234567890); 0812… is read as +62 812… */
    phone: Phone.nullable().optional(),
    /** creates a login (username = NIP) when given */
    password: text({ min: 8, max: 200, trim: false }).optional(),
  })
  .strict()
  .openapi('EmployeeInput');
const EmployeePatch = z
  .object({
    name: PersonName.optional(),
    position: Position.optional(),
    positionKind: PositionKind.optional(),
    unitCode: Code.optional(),
    /** null clears it */
    pangkat: Pangkat.nullable().optional(),
    /** null clears it */
    golongan: Golongan.nullable().optional(),
    /** null clears it */
    email: Email.nullable().optional(),
    /** null clears it */
    phone: Phone.nullable().optional(),
  })
  .strict()
  .openapi('EmployeePatch');
/**
 * Rows at most per employee import (JSON or file): a whole large region in one file. The apply is set-based
 * (employee-import.ts): 50,000 rows take seconds, in one short transaction.
 */
const MAX_IMPORT_ROWS = 60_000;
const ImportInput = z
  .object({ rows: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS), dryRun: z.boolean().default(false) })
  .strict()
  .openapi('EmployeeImport');
const SupervisorInput = z
  .object({ superiorId: idText(64).nullable(), reason: multilineText({ max: 2000 }).optional() })
  .strict()
  .openapi('SupervisorChange');
const DepartureInput = z
  .object({ reason: multilineText({ min: 3, max: 2000 }), leftAt: dateTime().optional() })
  .strict()
  .openapi('Departure');
const DelegationInput = z
  .object({
    fromEmployeeId: idText(64),
    toEmployeeId: idText(64),
    kind: z.enum(['PLT', 'PLH']),
    startsAt: dateTime(),
    endsAt: dateTime(),
    reason: multilineText({ max: 2000 }).optional(),
  })
  .strict()
  .openapi('DelegationInput');

const EmployeeSchema = z
  .object({
    id: z.string(),
    regionId: z.string(),
    nip: z.string(),
    name: z.string(),
    position: z.string(),
    positionKind: PositionKind,
    unitId: z.string(),
    superiorId: z.string().nullable(),
    status: z.enum(['ACTIVE', 'LEFT']),
    leftAt: z.string().nullable(),
    leftReason: z.string().nullable(),
    /** where notifications reach the employee, lower case; null: none */
    /** pangkat, e.g. "Penata Muda"; null: not recorded */
    pangkat: z.string().nullable(),
    /** golongan ruang, e.g. "III/a"; null: not recorded */
    golongan: z.string().nullable(),
    email: z.string().nullable(),
    /** WhatsApp/SMS number in E.164; null: none */
    phone: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Employee');
const EMPLOYEE_SORTS = ['nip', '-nip', 'name', '-name'] as const;
type EmployeeSort = (typeof EMPLOYEE_SORTS)[number];
const UnitRef = z.object({ code: z.string(), name: z.string() });
const SuperiorRef = z.object({ id: z.string(), nip: z.string(), name: z.string() });
const EmployeeListSchema = z
  .object({
    items: z.array(EmployeeSchema.extend({ unit: UnitRef.extend({ id: z.string() }), superior: SuperiorRef.nullable() })),
    /** employees matching the filters (all pages) */
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    /** pass as `cursor` for the page after this one; null on the last page */
    nextCursor: z.string().nullable(),
  })
  .openapi('EmployeeList');
const EmployeeDetailSchema = EmployeeSchema.extend({
  unit: UnitRef,
  superior: SuperiorRef.nullable(),
  /** the employee's login, when there is one */
  user: z.object({ id: z.string(), username: z.string() }).nullable(),
}).openapi('EmployeeDetail');

const UnitSchema = z
  .object({ id: z.string(), regionId: z.string(), code: z.string(), name: z.string(), kind: UnitKind, parentId: z.string().nullable() })
  .openapi('Unit');
const UnitListSchema = z.object({ items: z.array(UnitSchema.extend({ _count: z.object({ employees: z.number().int() }) })) }).openapi('UnitList');
const ImportReportSchema = z
  .object({ total: z.number().int(), created: z.number().int(), updated: z.number().int(), dryRun: z.boolean() })
  .openapi('EmployeeImportReport');
/** One line of the `application/x-ndjson` answer: progress while the import applies, then its result or its failure. */
const ImportProgressLine = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('progress'),
      phase: z.enum(['validated', 'passwords', 'employees', 'superiors']),
      done: z.number().int(),
      total: z.number().int(),
    }),
    ImportReportSchema.extend({ type: z.literal('result') }),
    z.object({ type: z.literal('error'), code: z.string(), detail: z.string() }),
  ])
  .openapi('EmployeeImportProgress');
const SupervisorChangedSchema = z
  .object({ employee: EmployeeSchema, signalled: z.number().int().openapi({ description: 'running evaluations told of the change' }) })
  .openapi('SupervisorChanged');
const DepartureRecordedSchema = z.object({ employee: EmployeeSchema, closedEvaluations: z.number().int() }).openapi('DepartureRecorded');
const DelegationSchema = z
  .object({
    id: z.string(),
    regionId: z.string(),
    fromEmployeeId: z.string().openapi({ description: 'the absent superior' }),
    toEmployeeId: z.string().openapi({ description: 'the acting official (Plt/Plh)' }),
    kind: z.enum(['PLT', 'PLH']),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    reason: z.string().nullable(),
    revokedAt: IsoDateTime.nullable(),
    createdBy: z.string().nullable(),
    createdAt: IsoDateTime,
  })
  .openapi('Delegation');
const DelegationListSchema = z.object({ items: z.array(DelegationSchema) }).openapi('DelegationList');
/** The row as Delegation describes it: `kind` is written only from DelegationInput. */
const delegationBody = <D extends { kind: string }>({ kind, ...d }: D) => ({ ...d, kind: kind as 'PLT' | 'PLH' });

const UnitParams = withId('unitId');
const EmpParams = withId('employeeId');
const DelParams = withId('delegationId');
const base = '/admin/regions/{regionCode}';

const listUnits = createRoute({
  method: 'get',
  path: `${base}/units`,
  tags,
  security: bearer,
  summary: 'Units of the region (tree by parentId)',
  request: { params: RegionParams },
  responses: { 200: ok(UnitListSchema), ...problems },
});
const createUnit = createRoute({
  method: 'post',
  path: `${base}/units`,
  tags,
  security: bearer,
  summary: 'Create a unit',
  request: { params: RegionParams, ...jsonBody(UnitInput) },
  responses: { 201: ok(UnitSchema, 'Created'), ...problems },
});
const patchUnit = createRoute({
  method: 'patch',
  path: `${base}/units/{unitId}`,
  tags,
  security: bearer,
  summary: 'Rename/move a unit',
  request: { params: UnitParams, ...jsonBody(UnitPatch) },
  responses: { 200: ok(UnitSchema), ...problems },
});
const listEmployees = createRoute({
  method: 'get',
  path: `${base}/employees`,
  tags,
  security: bearer,
  summary: 'Employees of the region: search, filters, sort and paging (page+limit or cursor), with unit and superior',
  description:
    '`q` matches an NIP prefix or a part of the name (case-insensitive). `unitId` (or `unitCode`) with `subunits=true` includes the units below it. ' +
    "`status` LEFT lists the departed. `sort` is nip or name, `-` before it for descending. `cursor` (the previous answer's nextCursor) replaces `page` for deep paging.",
  request: {
    params: RegionParams,
    query: z
      .object({
        q: text({ max: 100 }).optional(),
        unitCode: Code.optional(),
        unitId: idText(64).optional(),
        subunits: z.enum(['true', 'false']).optional().openapi({ description: 'with unitId/unitCode: include the units below it' }),
        positionKind: PositionKind.optional(),
        status: z.enum(['ACTIVE', 'LEFT']).optional().openapi({ description: 'ACTIVE or LEFT (departed)' }),
        superiorId: idText(64).optional().openapi({ description: "the direct superior's employee id" }),
        sort: z.enum(EMPLOYEE_SORTS).default('nip'),
        cursor: text({ max: 500 }).optional(),
        ...Paging,
      })
      .strict(),
  },
  responses: { 200: ok(EmployeeListSchema), ...problems },
});
const getEmployee = createRoute({
  method: 'get',
  path: `${base}/employees/{employeeId}`,
  tags,
  security: bearer,
  summary: 'One employee',
  request: { params: EmpParams },
  responses: { 200: ok(EmployeeDetailSchema), ...problems },
});
const createEmployee = createRoute({
  method: 'post',
  path: `${base}/employees`,
  tags,
  security: bearer,
  summary: 'Create an employee (optionally with a login)',
  request: { params: RegionParams, ...jsonBody(EmployeeInput) },
  responses: { 201: ok(EmployeeSchema, 'Created'), ...problems },
});
const patchEmployee = createRoute({
  method: 'patch',
  path: `${base}/employees/{employeeId}`,
  tags,
  security: bearer,
  summary: 'Update name, position, unit, pangkat, golongan, e-mail or phone (null clears pangkat, golongan, e-mail and phone)',
  request: { params: EmpParams, ...jsonBody(EmployeePatch) },
  responses: { 200: ok(EmployeeSchema), ...problems },
});
const importEmployees = createRoute({
  method: 'post',
  path: `${base}/employees/import`,
  tags,
  security: bearer,
  summary:
    'Bulk import (JSON {rows}, or a CSV or XLSX file with header nip,name,position,positionKind,unitCode,superiorNip,pangkat,golongan,email,phone,password): validated row by row, applied all-or-nothing',
  description:
    'A file is sent as the raw body: `text/csv` (UTF-8, a BOM is ignored; `,` or `;` separated, as the header line shows; quoted cells, CRLF or LF) or ' +
    '`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (the first worksheet, its first row the header). Cells are read as text: ' +
    'numbers without exponent, dates as YYYY-MM-DD, `="199205…"` as the digits inside. A problem names the row as the spreadsheet shows it (header = 1) and the column; ' +
    'an NIP typed as a number whose last digits the spreadsheet dropped is refused (`imprecise_number`). `?dryRun=true` validates a file only. ' +
    "pangkat, golongan, email and phone are optional columns: an empty cell (or an absent field) leaves an existing employee's value as it is; in JSON, null clears it. Phone numbers are stored in E.164 (0812… is read as +62 812…), e-mail addresses in lower case.",
  request: {
    params: RegionParams,
    query: z.object({ dryRun: z.enum(['true', 'false']).optional().openapi({ description: 'for a file: validate only' }) }).strict(),
    ...tableBody(ImportInput),
  },
  responses: {
    200: {
      description: 'The import report; with `Accept: application/x-ndjson` progress lines, then the result (or the failure) as the last line',
      content: { 'application/json': { schema: ImportReportSchema }, 'application/x-ndjson': { schema: ImportProgressLine } },
    },
    ...problems,
  },
});
const changeSup = createRoute({
  method: 'put',
  path: `${base}/employees/{employeeId}/supervisor`,
  tags,
  security: bearer,
  summary: 'Change the direct superior; running evaluations get changeSupervisor',
  request: { params: EmpParams, ...jsonBody(SupervisorInput) },
  responses: { 200: ok(SupervisorChangedSchema), ...problems },
});
const departure = createRoute({
  method: 'post',
  path: `${base}/employees/{employeeId}/departure`,
  tags,
  security: bearer,
  summary: 'Record a departure; running evaluations are closed',
  request: { params: EmpParams, ...jsonBody(DepartureInput) },
  responses: { 200: ok(DepartureRecordedSchema), ...problems },
});
const listDelegations = createRoute({
  method: 'get',
  path: `${base}/delegations`,
  tags,
  security: bearer,
  summary: 'Plt/Plh delegations',
  request: { params: RegionParams, query: z.object({ active: z.enum(['true', 'false']).optional() }).strict() },
  responses: { 200: ok(DelegationListSchema), ...problems },
});
const createDelegation = createRoute({
  method: 'post',
  path: `${base}/delegations`,
  tags,
  security: bearer,
  summary: 'Create a Plt/Plh delegation for a time range',
  request: { params: RegionParams, ...jsonBody(DelegationInput) },
  responses: { 201: ok(DelegationSchema, 'Created'), ...problems },
});
const revokeDelegation = createRoute({
  method: 'delete',
  path: `${base}/delegations/{delegationId}`,
  tags,
  security: bearer,
  summary: 'Revoke a delegation',
  request: { params: DelParams },
  responses: { 200: ok(DelegationSchema), ...problems },
});

const fe = (pointer: string, code: string, id: string, en: string, lang: Lang, row?: number): FieldError => ({
  pointer,
  field: pointer.split('/').filter(Boolean).pop() ?? '',
  code,
  message: lang === 'en' ? en : id,
  ...(row !== undefined ? { row } : {}),
});
const invalid = (errors: FieldError[]) => new ProblemError('VALIDATION_FAILED', { errors });

/** Prisma passes `contains`/`startsWith` to LIKE as given: a search for "%" or "_" must match those characters only. */
export const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

const IMPORT_TABLE: TableSpec = {
  columns: ['nip', 'name', 'position', 'positionKind', 'unitCode', 'superiorNip', 'pangkat', 'golongan', 'email', 'phone', 'password'],
  required: ['nip', 'name', 'position', 'unitCode'],
  maxRows: MAX_IMPORT_ROWS,
};

/** A keyset cursor: the sort, the last row's sort value and id (base64url JSON), so a page is found by index, not by offset. */
const writeCursor = (sort: EmployeeSort, k: string, id: string) => Buffer.from(JSON.stringify({ s: sort, k, id })).toString('base64url');
function readCursor(cursor: string, sort: EmployeeSort, lang: Lang): { k: string; id: string } {
  const bad = () =>
    invalid([{ ...fe('/cursor', 'invalid_cursor', 'cursor tidak valid untuk urutan ini', 'the cursor does not fit this sort', lang), in: 'query' }]);
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const o = v as { s?: unknown; k?: unknown; id?: unknown } | null;
  if (!o || o.s !== sort || typeof o.k !== 'string' || typeof o.id !== 'string') throw bad();
  return { k: o.k, id: o.id };
}

export function orgRoutes(deps: ResolvedDeps) {
  const { prisma, temporal } = deps;

  async function unitByCode(tx: Tx | typeof prisma, regionId: string, code: string, pointer: string, lang: Lang) {
    const u = await tx.unit.findUnique({ where: { regionId_code: { regionId, code } } });
    if (!u) throw invalid([fe(pointer, 'unknown_unit', `unit ${code} tidak ditemukan`, `unit ${code} not found`, lang)]);
    return u;
  }

  /** The unit (by id or code) and, with `subunits`, every unit below it; an unknown unit selects nothing. */
  async function unitSelection(regionId: string, unitId: string | undefined, unitCode: string | undefined, subunits: boolean) {
    const units = await prisma.unit.findMany({ where: { regionId }, select: { id: true, code: true, parentId: true } });
    const root = units.find((u) => (unitId ? u.id === unitId : u.code === unitCode));
    if (!root) return [];
    if (!subunits) return [root.id];
    const children = new Map<string, string[]>();
    for (const u of units) if (u.parentId) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
    const out: string[] = [];
    for (const queue = [root.id]; queue.length;) {
      const id = queue.pop()!;
      out.push(id);
      queue.push(...(children.get(id) ?? []));
    }
    return out;
  }

  async function signalAll(workflowIds: string[], send: (id: string) => Promise<void>) {
    let n = 0;
    for (const id of workflowIds) {
      try {
        await send(id);
        n++;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    return n;
  }

  return newRouter()
    .openapi(listUnits, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const items = await prisma.unit.findMany({
        where: { regionId: region.id },
        orderBy: { code: 'asc' },
        include: { _count: { select: { employees: true } } },
      });
      return c.json({ items }, 200);
    })
    .openapi(createUnit, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const unit = await prisma.$transaction(async (tx) => {
        if (await tx.unit.findUnique({ where: { regionId_code: { regionId: region.id, code: input.code } } })) {
          throw invalid([fe('/code', 'duplicate', 'kode unit sudah dipakai', 'unit code already used', lang)]);
        }
        const parent = input.parentCode ? await unitByCode(tx, region.id, input.parentCode, '/parentCode', lang) : null;
        const created = await tx.unit.create({
          data: { regionId: region.id, code: input.code, name: input.name, kind: input.kind, parentId: parent?.id ?? null },
        });
        await audit(tx, c, region.id, 'unit.create', 'Unit', created.id, null, created);
        return created;
      });
      return c.json(unit, 201);
    })
    .openapi(patchUnit, async (c) => {
      const { regionCode, unitId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const unit = await prisma.$transaction(async (tx) => {
        const before = await tx.unit.findFirst({ where: { id: unitId, regionId: region.id } });
        if (!before) throw new ProblemError('NOT_FOUND');
        let parentId: string | null | undefined;
        if (input.parentCode === null) parentId = null;
        else if (input.parentCode) {
          const parent = await unitByCode(tx, region.id, input.parentCode, '/parentCode', lang);
          // no cycles in the unit tree
          for (let cur: string | null = parent.id; cur;) {
            if (cur === unitId)
              throw invalid([fe('/parentCode', 'cycle', 'unit tidak boleh menjadi bawahan dirinya sendiri', 'a unit cannot be nested under itself', lang)]);
            cur = (await tx.unit.findUnique({ where: { id: cur }, select: { parentId: true } }))?.parentId ?? null;
          }
          parentId = parent.id;
        }
        const after = await tx.unit.update({ where: { id: unitId }, data: { name: input.name, kind: input.kind, parentId } });
        await audit(tx, c, region.id, 'unit.update', 'Unit', unitId, before, after);
        return after;
      });
      return c.json(unit, 200);
    })
    .openapi(listEmployees, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const q = c.req.valid('query');
      const lang = c.get('lang');
      const unitIds = q.unitId || q.unitCode ? await unitSelection(region.id, q.unitId, q.unitCode, q.subunits === 'true') : undefined;
      const text = q.q ? likeLiteral(q.q) : undefined;
      // every filter is on the region's rows: (regionId, …) indexes serve them, the name search a trigram index
      const where = {
        regionId: region.id,
        ...(q.status ? { status: q.status } : {}),
        ...(q.positionKind ? { positionKind: q.positionKind } : {}),
        ...(q.superiorId ? { superiorId: q.superiorId } : {}),
        ...(unitIds ? { unitId: unitIds.length === 1 ? unitIds[0]! : { in: unitIds } } : {}),
        ...(text ? { OR: [{ nip: { startsWith: text } }, { name: { contains: text, mode: 'insensitive' as const } }] } : {}),
      };
      const key = q.sort.replace('-', '') as 'nip' | 'name';
      const dir = q.sort.startsWith('-') ? ('desc' as const) : ('asc' as const);
      const after = q.cursor ? readCursor(q.cursor, q.sort, lang) : undefined;
      const cmp = dir === 'asc' ? 'gt' : 'lt';
      const keyset = after ? { OR: [{ [key]: { [cmp]: after.k } }, { [key]: after.k, id: { [cmp]: after.id } }] } : undefined;
      const [total, rows] = await Promise.all([
        prisma.employee.count({ where }),
        prisma.employee.findMany({
          where: keyset ? { AND: [where, keyset] } : where,
          orderBy: [{ [key]: dir }, { id: dir }],
          ...(after ? {} : { skip: (q.page - 1) * q.limit }),
          // one more than asked: whether there is a next page
          take: q.limit + 1,
          include: { unit: { select: { id: true, code: true, name: true } }, superior: { select: { id: true, nip: true, name: true } } },
        }),
      ]);
      const items = rows.slice(0, q.limit);
      const last = items.at(-1);
      const nextCursor = rows.length > q.limit && last ? writeCursor(q.sort, last[key], last.id) : null;
      return c.json({ items, total, page: q.page, limit: q.limit, nextCursor }, 200);
    })
    .openapi(getEmployee, async (c) => {
      const { regionCode, employeeId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const e = await prisma.employee.findFirst({
        where: { id: employeeId, regionId: region.id },
        include: {
          unit: { select: { code: true, name: true } },
          superior: { select: { id: true, nip: true, name: true } },
          user: { select: { id: true, username: true } },
        },
      });
      if (!e) throw new ProblemError('NOT_FOUND');
      return c.json(e, 200);
    })
    .openapi(createEmployee, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const passwordHash = input.password ? await hashPassword(input.password, deps.passwordPolicy) : null;
      const emp = await prisma.$transaction(async (tx) => {
        if (await tx.employee.findUnique({ where: { regionId_nip: { regionId: region.id, nip: input.nip } } })) {
          throw invalid([fe('/nip', 'duplicate', 'NIP sudah terdaftar', 'NIP already registered', lang)]);
        }
        const unit = await unitByCode(tx, region.id, input.unitCode, '/unitCode', lang);
        let superiorId: string | null = null;
        if (input.superiorNip) {
          const s = await tx.employee.findUnique({ where: { regionId_nip: { regionId: region.id, nip: input.superiorNip } } });
          if (!s || s.status !== 'ACTIVE') throw invalid([fe('/superiorNip', 'unknown_employee', 'atasan tidak ditemukan', 'superior not found', lang)]);
          superiorId = s.id;
        }
        const created = await tx.employee.create({
          data: {
            regionId: region.id,
            nip: input.nip,
            name: input.name,
            position: input.position,
            positionKind: input.positionKind,
            unitId: unit.id,
            superiorId,
            pangkat: input.pangkat ?? null,
            golongan: input.golongan ?? null,
            email: input.email ?? null,
            phone: input.phone ?? null,
          },
        });
        if (passwordHash) {
          if (await tx.user.findUnique({ where: { username: input.nip } }))
            throw invalid([fe('/nip', 'duplicate', 'akun dengan NIP ini sudah ada', 'a login with this NIP exists', lang)]);
          await tx.user.create({ data: { username: input.nip, passwordHash, displayName: input.name, employeeId: created.id, regionId: region.id } });
        }
        await audit(tx, c, region.id, 'employee.create', 'Employee', created.id, null, { ...created, login: Boolean(passwordHash) });
        return created;
      });
      return c.json(emp, 201);
    })
    .openapi(patchEmployee, async (c) => {
      const { regionCode, employeeId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const emp = await prisma.$transaction(async (tx) => {
        const before = await tx.employee.findFirst({ where: { id: employeeId, regionId: region.id } });
        if (!before) throw new ProblemError('NOT_FOUND');
        const unitId = input.unitCode ? (await unitByCode(tx, region.id, input.unitCode, '/unitCode', lang)).id : undefined;
        const after = await tx.employee.update({
          where: { id: employeeId },
          data: {
            name: input.name,
            position: input.position,
            positionKind: input.positionKind,
            unitId,
            pangkat: input.pangkat,
            golongan: input.golongan,
            email: input.email,
            phone: input.phone,
          },
        });
        await audit(tx, c, region.id, 'employee.update', 'Employee', employeeId, before, after);
        return after;
      });
      return c.json(emp, 200);
    })
    .openapi(importEmployees, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const lang = c.get('lang');
      const type = tableType(c.req.header('content-type'));
      let rawRows: unknown[];
      let dryRun = false;
      let rowPointer: (i: number) => string;
      /** the row number a problem names: the spreadsheet's row for a file (header = 1), the 1-based index for JSON */
      let rowOf: (i: number) => number;
      const errors: FieldError[] = [];
      if (type) {
        const table = await readTable(type, await c.req.arrayBuffer(), IMPORT_TABLE, lang);
        rawRows = table.rows.map((r) => r.cells);
        rowPointer = (i) => `/${table.rows[i]!.row}`;
        rowOf = (i) => table.rows[i]!.row;
        for (const r of table.rows) errors.push(...impreciseErrors(r, lang));
        dryRun = c.req.valid('query').dryRun === 'true';
      } else {
        const body = c.req.valid('json') as z.infer<typeof ImportInput> | undefined;
        const parsed = body && Array.isArray(body.rows) ? body : undefined;
        if (!parsed) throw invalid([fe('/rows', 'required', 'wajib diisi', 'is required', lang)]);
        rawRows = parsed.rows;
        dryRun = parsed.dryRun;
        rowPointer = (i) => `/rows/${i}`;
        rowOf = (i) => i + 1;
      }
      if (errors.length) throw invalid(errors);
      if (rawRows.length === 0) throw invalid([fe('/rows', 'too_small', 'tidak ada baris', 'no rows', lang)]);

      // 1. every row on its own
      const rows: z.infer<typeof EmployeeInput>[] = [];
      rawRows.forEach((raw, i) => {
        const r = EmployeeInput.safeParse(raw);
        if (!r.success) {
          for (const e of issuesToErrors(r.error.issues, lang, raw)) errors.push({ ...e, pointer: rowPointer(i) + e.pointer, row: rowOf(i) });
        } else rows.push(r.data);
      });
      if (errors.length) throw invalid(errors);

      // 2. across rows and against the database
      const units = new Map((await prisma.unit.findMany({ where: { regionId: region.id }, select: { id: true, code: true } })).map((u) => [u.code, u.id]));
      const existing = new Map((await prisma.employee.findMany({ where: { regionId: region.id }, select: { id: true, nip: true } })).map((e) => [e.nip, e.id]));
      const batchNips = new Map<string, number>();
      rows.forEach((r, i) => {
        const p = rowPointer(i);
        if (batchNips.has(r.nip))
          errors.push(
            fe(
              `${p}/nip`,
              'duplicate',
              `NIP ganda (baris ${rowOf(batchNips.get(r.nip)!)})`,
              `duplicate NIP (row ${rowOf(batchNips.get(r.nip)!)})`,
              lang,
              rowOf(i),
            ),
          );
        else batchNips.set(r.nip, i);
        if (!units.has(r.unitCode))
          errors.push(fe(`${p}/unitCode`, 'unknown_unit', `unit ${r.unitCode} tidak ditemukan`, `unit ${r.unitCode} not found`, lang, rowOf(i)));
      });
      rows.forEach((r, i) => {
        if (!r.superiorNip) return;
        const p = `${rowPointer(i)}/superiorNip`;
        if (r.superiorNip === r.nip) errors.push(fe(p, 'self', 'atasan tidak boleh diri sendiri', 'an employee cannot be their own superior', lang, rowOf(i)));
        else if (!batchNips.has(r.superiorNip) && !existing.has(r.superiorNip))
          errors.push(fe(p, 'unknown_employee', 'atasan tidak ditemukan', 'superior not found', lang, rowOf(i)));
      });
      if (errors.length) throw invalid(errors);
      const created = rows.filter((r) => !existing.has(r.nip)).length;
      const report = { total: rows.length, created, updated: rows.length - created, dryRun };
      if (dryRun) return c.json(report, 200);

      // 3. all or nothing; with `Accept: application/x-ndjson` progress lines stream while a large file is applied
      const apply = async (progress: (phase: ImportPhase, done: number) => Promise<unknown>) => {
        const hashes = await hashImportPasswords(rows, deps.passwordPolicy, (done) => progress('passwords', done));
        await prisma.$transaction(
          async (tx) => {
            await applyEmployeeImport(tx, { regionId: region.id, rows, unitIds: units, existing, hashes, progress });
            await audit(tx, c, region.id, 'employee.import', 'Region', region.id, null, { ...report, nips: rows.map((r) => r.nip) });
          },
          // set-based statements: seconds for a region of 50,000 (the bound is for a slow disk, not the common case)
          { timeout: 120_000 },
        );
      };
      if ((c.req.header('accept') ?? '').includes('application/x-ndjson')) {
        const line = (v: unknown) => JSON.stringify(v) + '\n';
        c.header('content-type', 'application/x-ndjson; charset=utf-8');
        return stream(c, async (out) => {
          await out.write(line({ type: 'progress', phase: 'validated', done: rows.length, total: rows.length }));
          try {
            await apply((phase, done) => out.write(line({ type: 'progress', phase, done, total: rows.length })));
            await out.write(line({ type: 'result', ...report }));
          } catch (err) {
            // the transaction rolled back: nothing was applied
            c.get('logger').error({ err }, 'employee import failed');
            await out.write(
              line({
                type: 'error',
                code: 'INTERNAL',
                detail: lang === 'en' ? 'The import failed; nothing was applied.' : 'Impor gagal; tidak ada data yang diterapkan.',
              }),
            );
          }
        }) as never;
      }
      await apply(() => Promise.resolve());
      return c.json(report, 200);
    })
    .openapi(changeSup, async (c) => {
      const { regionCode, employeeId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const result = await prisma.$transaction(async (tx) => {
        const before = await tx.employee.findFirst({ where: { id: employeeId, regionId: region.id } });
        if (!before) throw new ProblemError('NOT_FOUND');
        let reviewerId: string | null = null;
        if (input.superiorId) {
          if (input.superiorId === employeeId)
            throw invalid([fe('/superiorId', 'self', 'atasan tidak boleh diri sendiri', 'an employee cannot be their own superior', lang)]);
          const sup = await tx.employee.findFirst({ where: { id: input.superiorId, regionId: region.id, status: 'ACTIVE' } });
          if (!sup) throw invalid([fe('/superiorId', 'unknown_employee', 'atasan tidak ditemukan', 'superior not found', lang)]);
          for (let cur: string | null = sup.superiorId; cur;) {
            if (cur === employeeId) throw invalid([fe('/superiorId', 'cycle', 'rantai atasan berputar', 'the chain of superiors would loop', lang)]);
            cur = (await tx.employee.findUnique({ where: { id: cur }, select: { superiorId: true } }))?.superiorId ?? null;
          }
          reviewerId = sup.superiorId;
        }
        const after = await tx.employee.update({ where: { id: employeeId }, data: { superiorId: input.superiorId } });
        // the employee's running evaluations get the new supervisor; their subordinates' get a new reviewer
        const own = await tx.evaluation.findMany({ where: { employeeId, phase: { in: [...RUNNING_PHASES] } }, select: { id: true, workflowId: true } });
        await tx.evaluation.updateMany({ where: { id: { in: own.map((e) => e.id) } }, data: { supervisorId: input.superiorId, reviewerId } });
        const subs = await tx.evaluation.findMany({
          where: { supervisorId: employeeId, phase: { in: [...RUNNING_PHASES] } },
          select: { id: true, workflowId: true },
        });
        await tx.evaluation.updateMany({ where: { id: { in: subs.map((e) => e.id) } }, data: { reviewerId: input.superiorId } });
        await audit(
          tx,
          c,
          region.id,
          'employee.supervisor.change',
          'Employee',
          employeeId,
          { superiorId: before.superiorId },
          { superiorId: input.superiorId, reason: input.reason ?? null },
        );
        return { after, own, subs, reviewerId };
      });
      const by = c.get('user').userId;
      const signalled =
        (await signalAll(
          result.own.map((e) => e.workflowId),
          (id) => temporal.workflow.getHandle(id).signal(changeSupervisor, { supervisorId: input.superiorId, reviewerId: result.reviewerId, by }),
        )) +
        (await signalAll(
          result.subs.map((e) => e.workflowId),
          (id) => temporal.workflow.getHandle(id).signal(changeSupervisor, { supervisorId: employeeId, reviewerId: input.superiorId, by }),
        ));
      return c.json({ employee: result.after, signalled }, 200);
    })
    .openapi(departure, async (c) => {
      const { regionCode, employeeId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const leftAt = input.leftAt ? new Date(input.leftAt) : deps.now();
      const result = await prisma.$transaction(async (tx) => {
        const before = await tx.employee.findFirst({ where: { id: employeeId, regionId: region.id } });
        if (!before) throw new ProblemError('NOT_FOUND');
        if (before.status === 'LEFT')
          throw new ProblemError('CONFLICT', { detail: { id: 'Pegawai sudah tercatat keluar.', en: 'The employee has already left.' } });
        const after = await tx.employee.update({ where: { id: employeeId }, data: { status: 'LEFT', leftAt, leftReason: input.reason } });
        const user = await tx.user.findUnique({ where: { employeeId }, select: { id: true } });
        // the person's access ends with the departure: refresh tokens and the access tokens already issued
        if (user) await revokeSessions(tx, user.id, deps.now());
        const running = await tx.evaluation.findMany({ where: { employeeId, phase: { in: [...RUNNING_PHASES] } }, select: { workflowId: true } });
        await audit(
          tx,
          c,
          region.id,
          'employee.departure',
          'Employee',
          employeeId,
          { status: before.status },
          { status: 'LEFT', leftAt, reason: input.reason },
        );
        return { after, running };
      });
      const by = c.get('user').userId;
      const signalled = await signalAll(
        result.running.map((e) => e.workflowId),
        (id) => temporal.workflow.getHandle(id).signal(closeEvaluation, { reason: input.reason, by }),
      );
      return c.json({ employee: result.after, closedEvaluations: signalled }, 200);
    })
    .openapi(listDelegations, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const q = c.req.valid('query');
      const now = deps.now();
      const active = { revokedAt: null, startsAt: { lte: now }, endsAt: { gt: now } };
      const items = await prisma.delegation.findMany({ where: { regionId: region.id, ...(q.active === 'true' ? active : {}) }, orderBy: { startsAt: 'desc' } });
      return c.json({ items: items.map(delegationBody) }, 200);
    })
    .openapi(createDelegation, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const errors: FieldError[] = [];
      if (input.fromEmployeeId === input.toEmployeeId)
        errors.push(fe('/toEmployeeId', 'self', 'tidak dapat mendelegasikan kepada diri sendiri', 'cannot delegate to oneself', lang));
      if (new Date(input.endsAt).getTime() <= new Date(input.startsAt).getTime())
        errors.push(fe('/endsAt', 'too_small', 'harus setelah startsAt', 'must be after startsAt', lang));
      const found = await prisma.employee.findMany({
        where: { id: { in: [input.fromEmployeeId, input.toEmployeeId] }, regionId: region.id, status: 'ACTIVE' },
        select: { id: true },
      });
      for (const key of ['fromEmployeeId', 'toEmployeeId'] as const) {
        if (!found.some((e) => e.id === input[key]))
          errors.push(fe(jsonPointer([key]), 'unknown_employee', 'pegawai tidak ditemukan', 'employee not found', lang));
      }
      if (errors.length) throw invalid(errors);
      const d = await prisma.$transaction(async (tx) => {
        const created = await tx.delegation.create({
          data: {
            regionId: region.id,
            fromEmployeeId: input.fromEmployeeId,
            toEmployeeId: input.toEmployeeId,
            kind: input.kind,
            startsAt: new Date(input.startsAt),
            endsAt: new Date(input.endsAt),
            reason: input.reason ?? null,
            createdBy: c.get('user').userId,
          },
        });
        await audit(tx, c, region.id, 'delegation.create', 'Delegation', created.id, null, created);
        // run again, this write would create a second identical delegation: a keyed retry replays this answer instead
        await recordAnswer(tx, c, 201, delegationBody(created));
        return created;
      });
      return c.json(delegationBody(d), 201);
    })
    .openapi(revokeDelegation, async (c) => {
      const { regionCode, delegationId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const d = await prisma.$transaction(async (tx) => {
        const before = await tx.delegation.findFirst({ where: { id: delegationId, regionId: region.id } });
        if (!before) throw new ProblemError('NOT_FOUND');
        if (before.revokedAt) return before;
        const after = await tx.delegation.update({ where: { id: delegationId }, data: { revokedAt: deps.now() } });
        await audit(tx, c, region.id, 'delegation.revoke', 'Delegation', delegationId, before, after);
        return after;
      });
      return c.json(delegationBody(d), 200);
    });
}
