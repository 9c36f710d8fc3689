/**
 * Evidence files (bukti dukung) of a period report: uploaded as multipart/form-data, kept in the file store by their
 * SHA-256 with name, type, size and hash in EvidenceFile, downloaded by whoever may view the evaluation. A report
 * refers to an upload by `fileId` (Evidence kind FILE); `resolveEvidenceFiles` checks those ids before the report is
 * submitted.
 */
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { EVIDENCE_FILE_TYPES, EvidenceContentType, type Evidence, type Lang } from '@kinerja/domain';
import type { PrismaClient } from '@kinerja/db';
import { periodsOf, type RuleSetDocument } from '@kinerja/rules';
import { authorizeEvaluation } from '../access.js';
import type { ResolvedDeps } from '../env.js';
import { ProblemError, type FieldError } from '../problem.js';
import { bearer, IdParam, newRouter, problems } from '../router.js';
import { IsoDateTime } from '../schemas.js';
import { storageKeyFor } from '../storage/index.js';

/** The upload route's path, for the body limit and the content-type guard (multipart only here). */
export const EVIDENCE_UPLOAD_PATH = /^\/evaluations\/[^/]+\/periods\/[^/]+\/evidence$/;
/** Room for the multipart framing (boundaries, part headers) around the file itself. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const msg = (lang: Lang, id: string, en: string) => (lang === 'en' ? en : id);
const fileError = (code: string, message: string): FieldError => ({ pointer: '/file', field: 'file', code, message });

// ------------------------------------------------------------------------------------------------ file types

const ALLOWED_EXTENSIONS = EVIDENCE_FILE_TYPES.flatMap((t) => [...t.extensions]);
/** Types browsers and office suites declare for allowed files under other names. */
const TYPE_ALIASES: Record<string, EvidenceContentType> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/csv': 'text/csv',
  'text/x-csv': 'text/csv',
};

/**
 * The content type a part declares, normalised; a part without a useful type (none, application/octet-stream, or a
 * spreadsheet type for a .csv) takes its type from the file name's extension.
 */
export function declaredType(partType: string, fileName: string): string {
  const declared = partType.split(';')[0]!.trim().toLowerCase();
  const ext = extname(fileName).toLowerCase();
  const byExtension = EVIDENCE_FILE_TYPES.find((t) => (t.extensions as readonly string[]).includes(ext))?.contentType;
  if (declared === '' || declared === 'application/octet-stream') return byExtension ?? declared;
  if (declared === 'application/vnd.ms-excel' && byExtension === 'text/csv') return 'text/csv';
  return TYPE_ALIASES[declared] ?? declared;
}

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const ascii = (b: Uint8Array, from: number, to: number) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', from, to);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const contains = (b: Uint8Array, s: string) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).includes(s, 0, 'latin1');

/** Text has no signature: it must be UTF-8 without control characters other than tab, line feed, form feed, CR. */
function isPlainText(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return false;
  }
  for (const c of b) if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) return false;
  return true;
}

/** Whether the bytes are what the declared type says, by their signature (magic bytes). */
export function matchesType(type: EvidenceContentType, b: Uint8Array): boolean {
  switch (type) {
    case 'application/pdf':
      return ascii(b, 0, 5) === '%PDF-';
    case 'image/png':
      return startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return startsWith(b, [0xff, 0xd8, 0xff]);
    case 'image/webp':
      return ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP';
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return startsWith(b, ZIP) && contains(b, '[Content_Types].xml') && contains(b, 'word/');
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return startsWith(b, ZIP) && contains(b, '[Content_Types].xml') && contains(b, 'xl/');
    case 'application/vnd.oasis.opendocument.text':
    case 'application/vnd.oasis.opendocument.spreadsheet':
      // OpenDocument: the first entry is "mimetype", stored uncompressed, holding the type itself
      return startsWith(b, ZIP) && ascii(b, 30, 38) === 'mimetype' && ascii(b, 38, 38 + type.length) === type;
    case 'text/plain':
    case 'text/csv':
      return isPlainText(b);
  }
}

/** The uploader's file name as shown and stored: the last path segment, without control or bidi characters. */
export function displayName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '').trim();
  const chars = [...clean];
  return chars.length === 0 ? 'berkas' : chars.slice(0, 300).join('');
}

/** Content-Disposition for a download: an ASCII fallback and the name itself (RFC 6266, RFC 8187). */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

// ------------------------------------------------------------------------------------------------ the report's references

/**
 * The report's evidence with every FILE reference checked: its `fileId` must be a file uploaded to this evaluation for
 * the report's period, else 422 naming `/evidence/{i}/fileId`. The stored name is kept as the ASN gave it; type, size and SHA-256 are the
 * upload's own. Call before the report is sent to the workflow.
 */
export async function resolveEvidenceFiles(
  prisma: PrismaClient,
  evaluationId: string,
  period: number,
  evidence: readonly Evidence[],
  lang: Lang,
): Promise<Evidence[]> {
  const ids = [...new Set(evidence.flatMap((e) => (e.kind === 'FILE' ? [e.fileId] : [])))];
  if (ids.length === 0) return [...evidence];
  const rows = await prisma.evidenceFile.findMany({
    where: { id: { in: ids }, evaluationId },
    select: { id: true, period: true, contentType: true, sizeBytes: true, sha256: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  const out = evidence.map((e, i): Evidence => {
    if (e.kind !== 'FILE') return e;
    const row = byId.get(e.fileId);
    if (!row) {
      errors.push({
        pointer: `/evidence/${i}/fileId`,
        field: `evidence.${i}.fileId`,
        code: 'unknown_file',
        message: msg(
          lang,
          'berkas tidak ditemukan pada penilaian ini (unggah dulu lewat …/evidence)',
          'no such file in this evaluation (upload it through …/evidence first)',
        ),
      });
      return e;
    }
    if (row.period !== period) {
      errors.push({
        pointer: `/evidence/${i}/fileId`,
        field: `evidence.${i}.fileId`,
        code: 'other_period_file',
        message: msg(
          lang,
          `berkas ini diunggah untuk periode ${row.period}, bukan periode ${period}`,
          `this file was uploaded for period ${row.period}, not period ${period}`,
        ),
      });
      return e;
    }
    return { ...e, mimeType: row.contentType, sizeBytes: row.sizeBytes, sha256: row.sha256 };
  });
  if (errors.length > 0) throw new ProblemError('VALIDATION_FAILED', { errors });
  return out;
}

/**
 * An upload is for a report that can still be sent: the evaluation is in PERIODIC (the only phase taking reports, by
 * the projection) and the period is one of the cycle's (its rule set's period count), else the problem the report
 * itself would get: 409 WRONG_PHASE, or 404 for a period the cycle does not have.
 */
async function assertReportablePeriod(prisma: PrismaClient, evaluation: { cycleId: string; phase: string }, period: number): Promise<void> {
  if (evaluation.phase !== 'PERIODIC') {
    throw new ProblemError('WRONG_PHASE', {
      detail: {
        id: `Laporan periode tidak dapat dikirim pada tahap ${evaluation.phase}, jadi berkas bukti tidak dapat diunggah.`,
        en: `No period report can be sent in phase ${evaluation.phase}, so no evidence can be uploaded.`,
      },
    });
  }
  const cycle = await prisma.cycle.findUniqueOrThrow({ where: { id: evaluation.cycleId }, select: { ruleSetVersion: { select: { document: true } } } });
  const count = periodsOf(cycle.ruleSetVersion.document as unknown as RuleSetDocument);
  if (period > count) {
    throw new ProblemError('NOT_FOUND', {
      detail: {
        id: `Periode ${period} tidak ada pada siklus ini (${count} periode).`,
        en: `Period ${period} does not exist in this cycle (${count} periods).`,
      },
    });
  }
}

// ------------------------------------------------------------------------------------------------ routes

const PeriodParams = z.object({
  id: IdParam('id'),
  period: z.coerce
    .number()
    .int()
    .min(1)
    .max(12)
    .openapi({ param: { name: 'period', in: 'path' }, example: 1 }),
});
const FileParams = z.object({ id: IdParam('id'), fileId: IdParam('fileId') });

const UploadForm = z
  .object({
    file: z
      .unknown()
      .superRefine((v, ctx) => {
        if (!(v instanceof File))
          ctx.addIssue({
            code: 'custom',
            message: 'satu berkas wajib dikirim di kolom "file"',
            params: { code: 'required', messageEn: 'send one file in the "file" field' },
          });
      })
      .openapi({ type: 'string', format: 'binary', description: 'The file (one); its part Content-Type is the declared type' }),
  })
  .openapi('EvidenceUploadForm');

export const EvidenceUploadSchema = z
  .object({
    /** refer to it from the report: { kind: 'FILE', fileId, name } */
    fileId: z.string(),
    name: z.string(),
    contentType: EvidenceContentType,
    sizeBytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    period: z.number().int(),
    createdAt: IsoDateTime,
  })
  .openapi('EvidenceUpload');

const tags = ['evaluations'];

const uploadRoute = createRoute({
  method: 'post',
  path: '/evaluations/{id}/periods/{period}/evidence',
  tags,
  security: bearer,
  summary: "ASN uploads an evidence file for a period's report (multipart/form-data, one part named file)",
  description:
    `Allowed: ${ALLOWED_EXTENSIONS.join(', ')}, up to UPLOAD_MAX_BYTES (default 10 MiB); the bytes must match the declared type. ` +
    'Answers the file id the report refers to (evidence `{ kind: "FILE", fileId, name }`). Authorised like submitting the report. ' +
    'The same bytes are stored once; each upload gets its own id. Idempotency-Key is not honoured here (a repeated upload only adds another id).',
  request: {
    params: PeriodParams,
    body: { content: { 'multipart/form-data': { schema: UploadForm } }, description: 'required: one part named "file"' },
  },
  responses: {
    201: { description: 'Stored', content: { 'application/json': { schema: EvidenceUploadSchema } } },
    ...problems,
    404: {
      description: "No such evaluation visible to the caller, or a period the cycle's calendar does not have",
      content: problems[404].content,
    },
    409: {
      description:
        "WRONG_PHASE: no report can be sent in the evaluation's phase; or CONFLICT: the evaluation already holds the most evidence files or bytes it may (the error names `file`)",
      content: problems[409].content,
    },
    413: { description: 'The file is larger than UPLOAD_MAX_BYTES (the error names `file`)', content: problems[413].content },
    415: { description: 'The file type is not allowed (the error names `file`), or the body is not multipart/form-data', content: problems[415].content },
    422: { description: 'No file, an empty file, or bytes that do not match the declared type (the error names `file`)', content: problems[422].content },
  },
});

const downloadRoute = createRoute({
  method: 'get',
  path: '/evaluations/{id}/evidence/{fileId}',
  tags,
  security: bearer,
  summary: 'Download an evidence file (authorised like viewing the evaluation)',
  description: 'Sent as an attachment with its stored type, `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy.',
  request: { params: FileParams },
  responses: {
    200: {
      description: 'The file, with the type it was stored with',
      content: Object.fromEntries(EVIDENCE_FILE_TYPES.map((t) => [t.contentType, { schema: z.string().openapi({ type: 'string', format: 'binary' }) }])),
    },
    ...problems,
  },
});

export function evidenceRoutes(deps: ResolvedDeps) {
  const { prisma, files, config } = deps;
  const maxMiB = (config.maxUploadBytes / (1024 * 1024)).toLocaleString('id-ID', { maximumFractionDigits: 1 });

  return newRouter()
    .openapi(uploadRoute, async (c) => {
      const { id, period } = c.req.valid('param');
      const lang = c.get('lang');
      const u = c.get('user');
      const access = await authorizeEvaluation(prisma, u, id, 'submitReport', deps.now());
      await assertReportablePeriod(prisma, access.evaluation, period);
      const form = c.req.valid('form') as { file?: unknown };
      const file = form.file;
      if (!(file instanceof File)) {
        throw new ProblemError('VALIDATION_FAILED', {
          errors: [fileError('required', msg(lang, 'satu berkas wajib dikirim di kolom "file"', 'send one file in the "file" field'))],
        });
      }
      if (file.size > config.maxUploadBytes) {
        throw new ProblemError('PAYLOAD_TOO_LARGE', {
          errors: [fileError('too_big', msg(lang, `berkas maksimal ${maxMiB} MiB`, `the file may be at most ${maxMiB} MiB`))],
        });
      }
      if (file.size === 0) throw new ProblemError('VALIDATION_FAILED', { errors: [fileError('empty', msg(lang, 'berkas kosong', 'the file is empty'))] });
      const name = displayName(file.name);
      const type = EvidenceContentType.safeParse(declaredType(file.type, name));
      if (!type.success) {
        throw new ProblemError('UNSUPPORTED_MEDIA_TYPE', {
          errors: [
            fileError(
              'type_not_allowed',
              msg(
                lang,
                `jenis berkas tidak diizinkan; yang diizinkan: ${ALLOWED_EXTENSIONS.join(', ')}`,
                `this file type is not allowed; allowed: ${ALLOWED_EXTENSIONS.join(', ')}`,
              ),
            ),
          ],
        });
      }
      const held = await prisma.evidenceFile.aggregate({ where: { evaluationId: id }, _count: { _all: true }, _sum: { sizeBytes: true } });
      if (held._count._all >= config.maxFilesPerEvaluation) {
        const n = config.maxFilesPerEvaluation;
        throw new ProblemError('CONFLICT', {
          errors: [
            fileError(
              'too_many_files',
              msg(lang, `penilaian ini sudah memuat ${n} berkas bukti (batasnya)`, `this evaluation already holds ${n} evidence files (the limit)`),
            ),
          ],
        });
      }
      if ((held._sum.sizeBytes ?? 0) + file.size > config.maxBytesPerEvaluation) {
        const quota = (config.maxBytesPerEvaluation / (1024 * 1024)).toLocaleString('id-ID', { maximumFractionDigits: 1 });
        throw new ProblemError('CONFLICT', {
          errors: [
            fileError(
              'quota_exceeded',
              msg(
                lang,
                `berkas bukti pada penilaian ini melebihi batas ${quota} MiB jika berkas ini ditambahkan`,
                `with this file the evaluation's evidence would exceed its ${quota} MiB limit`,
              ),
            ),
          ],
        });
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (!matchesType(type.data, bytes)) {
        throw new ProblemError('VALIDATION_FAILED', {
          errors: [
            fileError(
              'content_mismatch',
              msg(lang, `isi berkas bukan ${type.data} seperti jenis yang dinyatakan`, `the file's content is not ${type.data} as declared`),
            ),
          ],
        });
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const storageKey = storageKeyFor(sha256);
      // the bytes first: a row never points at a file the store does not have
      await files.put(storageKey, bytes, type.data);
      const row = await prisma.evidenceFile.create({
        data: {
          regionId: access.evaluation.regionId,
          evaluationId: id,
          period,
          name,
          contentType: type.data,
          sizeBytes: bytes.byteLength,
          sha256,
          storageKey,
          uploadedByUserId: u.userId,
        },
      });
      return c.json(
        {
          fileId: row.id,
          name: row.name,
          contentType: type.data,
          sizeBytes: row.sizeBytes,
          sha256: row.sha256,
          period: row.period,
          createdAt: row.createdAt.toISOString(),
        },
        201,
      );
    })
    .openapi(downloadRoute, async (c) => {
      const { id, fileId } = c.req.valid('param');
      await authorizeEvaluation(prisma, c.get('user'), id, 'view', deps.now());
      const row = await prisma.evidenceFile.findFirst({ where: { id: fileId, evaluationId: id } });
      if (!row) throw new ProblemError('NOT_FOUND');
      const bytes = await files.get(row.storageKey);
      if (!bytes) throw new Error(`evidence file ${row.id}: ${row.storageKey} is missing from the ${files.kind} file store`);
      if (createHash('sha256').update(bytes).digest('hex') !== row.sha256)
        throw new Error(`evidence file ${row.id}: ${row.storageKey} does not match its SHA-256`);
      return new Response(new Uint8Array(bytes), {
        status: 200,
        headers: {
          'content-type': row.contentType.startsWith('text/') ? `${row.contentType}; charset=utf-8` : row.contentType,
          'content-length': String(bytes.byteLength),
          'content-disposition': contentDisposition(row.name),
          'x-content-type-options': 'nosniff',
          'content-security-policy': "sandbox; default-src 'none'",
          'cache-control': 'private, no-store',
        },
      });
    });
}
