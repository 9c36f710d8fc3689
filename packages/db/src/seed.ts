/**
 * Demo data: one region with a dinas, a bidang, an admin and four employees with logins, plus a published rule set.
 * Idempotent: everything is looked up by its natural key first; a second run changes nothing.
 * The rule document is passed in (db does not depend on @kinerja/rules).
 */
import { nipProblem } from '@kinerja/domain';
import { appendAudit, canonicalJson, sha256Hex } from './audit.js';
import { type Prisma, type PrismaClient, type PositionKind, type UnitKind } from './generated/prisma/client.js';
import { hashPassword, PASSWORD_POLICY, type PasswordPolicy } from './password.js';

export const DEMO_REGION_CODE = 'demo';
export const DEMO_PASSWORD = 'kinerja-demo';
export const DEMO_ADMIN_USERNAME = 'admin';

export interface SeedDemoOptions {
  ruleSetDocument: unknown;
  ruleSetKey?: string;
  ruleSetName?: string;
  /** stored as the rule set's display name suffix when given (e.g. the calendar the document uses) */
  calendarName?: string;
  /** scrypt cost of the demo users' hashes; default the production policy (test fixtures pass a cheap one) */
  passwordPolicy?: PasswordPolicy;
}

export interface SeedDemoResult {
  created: boolean;
  regionId: string;
  units: { dinas: string; bidang: string };
  adminUserId: string;
  employees: { kepalaDinas: string; kepalaBidang: string; staff1: string; staff2: string };
  users: Record<'kepalaDinas' | 'kepalaBidang' | 'staff1' | 'staff2', string>;
  ruleSetId: string;
  ruleSetVersionId: string;
  credentials: { username: string; password: string; role: string; name: string; email?: string }[];
}

interface DemoEmployee {
  key: 'kepalaDinas' | 'kepalaBidang' | 'staff1' | 'staff2';
  nip: string;
  name: string;
  /** jabatan */
  position: string;
  positionKind: PositionKind;
  pangkat: string;
  golongan: string;
  unit: 'dinas' | 'bidang';
  superior: DemoEmployee['key'] | null;
  /** where the demo's notifications go (.example is reserved: nothing leaves a misconfigured demo) */
  email: string;
  phone: string;
}

/** Valid NIPs: birth date, appointment year-month, sex digit, sequence. */
export const DEMO_EMPLOYEES: readonly DemoEmployee[] = [
  {
    key: 'kepalaDinas',
    nip: '197001011995031001',
    name: 'Drs. Bambang Santoso, M.Si.',
    position: 'Kepala Dinas Kependudukan dan Pencatatan Sipil',
    positionKind: 'STRUKTURAL',
    pangkat: 'Pembina Utama Muda',
    golongan: 'IV/c',
    unit: 'dinas',
    superior: null,
    email: 'bambang.santoso@kotademo.example',
    phone: '+6281100000001',
  },
  {
    key: 'kepalaBidang',
    nip: '198003152005012002',
    name: 'Siti Rahmawati, S.E.',
    position: 'Kepala Bidang Pelayanan Pendaftaran Penduduk',
    positionKind: 'STRUKTURAL',
    pangkat: 'Pembina',
    golongan: 'IV/a',
    unit: 'bidang',
    superior: 'kepalaDinas',
    email: 'siti.rahmawati@kotademo.example',
    phone: '+6281100000002',
  },
  {
    key: 'staff1',
    nip: '199205202019031003',
    name: 'Andi Pratama, S.Kom.',
    position: 'Pranata Komputer Ahli Pertama',
    positionKind: 'FUNGSIONAL',
    pangkat: 'Penata Muda',
    golongan: 'III/a',
    unit: 'bidang',
    superior: 'kepalaBidang',
    email: 'andi.pratama@kotademo.example',
    phone: '+6281100000003',
  },
  {
    key: 'staff2',
    nip: '199508172020122004',
    name: 'Dewi Lestari, A.Md.',
    position: 'Pengadministrasi Kependudukan',
    positionKind: 'PELAKSANA',
    pangkat: 'Pengatur',
    golongan: 'II/c',
    unit: 'bidang',
    superior: 'kepalaBidang',
    email: 'dewi.lestari@kotademo.example',
    phone: '+6281100000004',
  },
];

const UNITS: { key: 'dinas' | 'bidang'; code: string; name: string; kind: UnitKind; parent: 'dinas' | null }[] = [
  { key: 'dinas', code: 'DISDUKCAPIL', name: 'Dinas Kependudukan dan Pencatatan Sipil', kind: 'DINAS', parent: null },
  { key: 'bidang', code: 'DISDUKCAPIL-PDP', name: 'Bidang Pelayanan Pendaftaran Penduduk', kind: 'BIDANG', parent: 'dinas' },
];

for (const e of DEMO_EMPLOYEES) {
  const problem = nipProblem(e.nip);
  if (problem) throw new Error(`demo NIP ${e.nip} is invalid: ${problem}`);
}

type Tx = Prisma.TransactionClient;

export async function seedDemo(prisma: PrismaClient, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const ruleSetKey = options.ruleSetKey ?? 'national';
  const document = JSON.parse(JSON.stringify(options.ruleSetDocument ?? null)) as Prisma.InputJsonValue | null;
  if (document === null || typeof document !== 'object') throw new Error('seedDemo: ruleSetDocument must be a JSON object');
  const contentHash = sha256Hex(canonicalJson(document));

  return prisma.$transaction(
    async (tx) => {
      let created = false;
      let region = await tx.region.findUnique({ where: { code: DEMO_REGION_CODE } });
      if (!region) {
        region = await tx.region.create({ data: { code: DEMO_REGION_CODE, name: 'Kota Demo' } });
        created = true;
      }
      const regionId = region.id;

      const unitIds = {} as Record<'dinas' | 'bidang', string>;
      for (const u of UNITS) {
        const existing = await tx.unit.findUnique({ where: { regionId_code: { regionId, code: u.code } } });
        unitIds[u.key] =
          existing?.id ??
          (
            await tx.unit.create({
              data: { regionId, code: u.code, name: u.name, kind: u.kind, parentId: u.parent ? unitIds[u.parent] : null },
            })
          ).id;
        if (!existing) created = true;
      }

      const employeeIds = {} as Record<DemoEmployee['key'], string>;
      const userIds = {} as Record<DemoEmployee['key'], string>;
      for (const e of DEMO_EMPLOYEES) {
        const existing = await tx.employee.findUnique({ where: { regionId_nip: { regionId, nip: e.nip } } });
        const employee =
          existing ??
          (await tx.employee.create({
            data: {
              regionId,
              nip: e.nip,
              name: e.name,
              position: e.position,
              positionKind: e.positionKind,
              pangkat: e.pangkat,
              golongan: e.golongan,
              unitId: unitIds[e.unit],
              superiorId: e.superior ? employeeIds[e.superior] : null,
              email: e.email,
              phone: e.phone,
            },
          }));
        if (!existing) created = true;
        // an existing demo employee missing contacts or rank gets the demo's once; a value set since is kept
        if (existing && (existing.email === null || existing.phone === null || existing.pangkat === null || existing.golongan === null)) {
          await tx.employee.update({
            where: { id: existing.id },
            data: {
              email: existing.email ?? e.email,
              phone: existing.phone ?? e.phone,
              pangkat: existing.pangkat ?? e.pangkat,
              golongan: existing.golongan ?? e.golongan,
            },
          });
        }
        employeeIds[e.key] = employee.id;
        userIds[e.key] = await ensureUser(
          tx,
          {
            username: e.nip,
            displayName: e.name,
            employeeId: employee.id,
            regionId,
          },
          () => (created = true),
          options.passwordPolicy,
        );
      }

      const adminUserId = await ensureUser(
        tx,
        { username: DEMO_ADMIN_USERNAME, displayName: 'Admin BKPSDM Kota Demo', regionId: null },
        () => (created = true),
        options.passwordPolicy,
      );
      const grant = await tx.adminGrant.findUnique({ where: { userId_regionId: { userId: adminUserId, regionId } } });
      if (!grant) {
        await tx.adminGrant.create({ data: { userId: adminUserId, regionId } });
        created = true;
      }

      let ruleSet = await tx.ruleSet.findUnique({ where: { regionId_key: { regionId, key: ruleSetKey } } });
      if (!ruleSet) {
        const name = options.ruleSetName ?? (ruleSetKey === 'national' ? 'Nasional (PermenPANRB 6/2022)' : ruleSetKey);
        ruleSet = await tx.ruleSet.create({
          data: { regionId, key: ruleSetKey, name: options.calendarName ? `${name} · ${options.calendarName}` : name },
        });
        created = true;
      }
      let version = await tx.ruleSetVersion.findUnique({ where: { ruleSetId_version: { ruleSetId: ruleSet.id, version: 1 } } });
      if (!version) {
        const now = new Date();
        version = await tx.ruleSetVersion.create({
          data: {
            ruleSetId: ruleSet.id,
            regionId,
            version: 1,
            status: 'PUBLISHED',
            document,
            contentHash,
            createdBy: adminUserId,
            publishedAt: now,
            publishedBy: adminUserId,
          },
        });
        created = true;
      }

      if (created) {
        await appendAudit(tx, {
          regionId,
          actorUserId: adminUserId,
          action: 'SEED_DEMO',
          entityType: 'Region',
          entityId: regionId,
          after: { units: unitIds, employees: employeeIds, ruleSetVersionId: version.id, contentHash },
        });
      }

      return {
        created,
        regionId,
        units: unitIds,
        adminUserId,
        employees: employeeIds,
        users: userIds,
        ruleSetId: ruleSet.id,
        ruleSetVersionId: version.id,
        credentials: [
          { username: DEMO_ADMIN_USERNAME, password: DEMO_PASSWORD, role: 'admin (BKPSDM) Kota Demo', name: 'Admin BKPSDM' },
          ...DEMO_EMPLOYEES.map((e) => ({
            username: e.nip,
            password: DEMO_PASSWORD,
            role: e.position,
            name: e.name,
            email: e.email,
          })),
        ],
      };
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}

async function ensureUser(
  tx: Tx,
  u: { username: string; displayName: string; employeeId?: string; regionId: string | null },
  onCreate: () => void,
  passwordPolicy: PasswordPolicy = PASSWORD_POLICY,
): Promise<string> {
  const existing = await tx.user.findUnique({ where: { username: u.username }, select: { id: true } });
  if (existing) return existing.id;
  onCreate();
  const user = await tx.user.create({
    data: {
      username: u.username,
      displayName: u.displayName,
      passwordHash: await hashPassword(DEMO_PASSWORD, passwordPolicy),
      employeeId: u.employeeId ?? null,
      regionId: u.regionId,
    },
  });
  return user.id;
}
