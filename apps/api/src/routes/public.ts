/**
 * Public (no sign-in) citizen-satisfaction surveys: the "external facts" satisfactionMean / satisfactionResponses
 * come from here. Nothing behind these routes is personal data of the respondent, and nothing about the region's
 * staff is returned except an aggregate (mean, count) per region or unit.
 *
 * Abuse protection, in the order a request meets it:
 * 1. a per-client token bucket (in memory, per API process) for submissions and a separate, larger one for reads:
 *    429 RATE_LIMITED with Retry-After. The client is the socket address from @hono/node-server; X-Forwarded-For is
 *    used only when TRUSTED_PROXY says how many proxies of ours append to it (else anyone could pick their own key).
 *    Without a socket (another runtime, `app.request` in tests) every such client shares one header-less key.
 *    PRODUCTION WITH SEVERAL API REPLICAS: each replica has its own buckets, so the effective limit is N times the
 *    configured one; put the buckets in a shared store (Redis INCR/EXPIRE or a PostgreSQL table) or rate-limit at
 *    the ingress before scaling out;
 * 2. a honeypot field `website` (hidden in the form; people leave it empty, form-filling bots do not): a filled one
 *    is refused (422) and empties the client's bucket;
 * 3. validation: score 1..5, comment ≤ 1000 characters, control characters refused (as everywhere) and bidi and
 *    zero-width characters stripped, strict body;
 * 4. the client address is stored only as a salted HMAC (SurveyResponse.clientHash), never in clear; the salt is
 *    SURVEY_CLIENT_SALT or derived from the JWT secret (rotating either resets duplicate detection, nothing else);
 * 5. the same client (hash) rating the same target again within SURVEY_DUPLICATE_MINUTES answers 409 CONFLICT; the
 *    check and the insert run under a transaction-scoped advisory lock, so two racing copies cannot both land.
 *
 * Settings come from the environment (read once when the router is built):
 *   TRUSTED_PROXY            'true' (one proxy) or the number of trusted proxies in front of the API; default none
 *   SURVEY_RATE_BURST        submissions a client may make at once (bucket size), default 5
 *   SURVEY_RATE_PER_MINUTE   submissions refilled per minute, default 2
 *   SURVEY_READ_BURST        summary reads at once, default 60
 *   SURVEY_READ_PER_MINUTE   summary reads refilled per minute, default 60
 *   SURVEY_DUPLICATE_MINUTES duplicate window, default 10
 *   SURVEY_CLIENT_SALT       salt for clientHash (default: derived from the JWT secret)
 */
import { createHmac } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { idText, multilineText, text, UnitKind, type Lang } from '@kinerja/domain';
import { satisfactionOnSkmScale } from '@kinerja/rules';
import type { ResolvedDeps } from '../env.js';
import { ProblemError, type FieldError } from '../problem.js';
import { clientAddress, limitPerClient, TokenBuckets } from '../ratelimit.js';
import { Code, jsonBody, newRouter, ok, problems, publicProblems } from '../router.js';

// ------------------------------------------------------------------------------------------------ configuration

// the survey settings are part of the API's one config (env.ts publicSurveyConfig), reached through deps.config

// ------------------------------------------------------------------------------------------------ schemas

const RegionParam = z.object({ regionCode: idText(64).openapi({ param: { name: 'regionCode', in: 'path' }, example: 'demo' }) });

export const SurveyInput = z
  .object({
    score: z.number().int().min(1).max(5).openapi({ description: '1 (sangat tidak puas) … 5 (sangat puas)', example: 4 }),
    comment: multilineText({ max: 1000, trim: false })
      .optional()
      .openapi({ description: 'Control characters are refused; bidi and zero-width characters are removed' }),
    unitCode: Code.optional().openapi({ description: 'The unit (OPD, kelurahan, puskesmas, …) that served the citizen' }),
    employeeNip: z
      .string()
      .trim()
      .regex(/^\d{18}$/)
      .optional()
      .openapi({ description: 'NIP of the civil servant who served' }),
    service: text({ min: 2, max: 100 }).optional().openapi({ description: 'Name of the public service', example: 'KTP-el' }),
    /** honeypot: hidden in the form, must stay empty */
    website: text({ max: 500, trim: false }).optional().openapi({ description: 'Leave empty (anti-bot field)' }),
  })
  .strict()
  .openapi('SurveyInput');

const SurveyCreated = z.object({ id: z.string() }).openapi('SurveyCreated');
const SurveySummary = z
  .object({ mean: z.number().nullable().openapi({ description: 'Mean score 1..5, null without responses' }), count: z.number().int() })
  .openapi('SurveySummary');

const Words = z.object({ id: z.string(), en: z.string() });
const SurveyFormSchema = z
  .object({
    region: z.object({ code: z.string(), name: z.string() }),
    /** the units a citizen can rate (unitCode in the submission), in code order; parentCode gives the tree */
    units: z.array(z.object({ code: z.string(), name: z.string(), kind: UnitKind, parentCode: z.string().nullable() })),
    /** services already rated in the region, most rated first, to suggest in the form (service is free text) */
    services: z.array(z.string()),
    /** the submission's `score` */
    score: z.object({ min: z.literal(1), max: z.literal(5), question: Words, labels: z.array(Words) }),
    /** the IKM elements (PermenPANRB 14/2017), each answered on `scale` (1..4) */
    elements: z.array(z.object({ id: z.string(), name: Words, question: Words })),
    scale: z.array(z.object({ value: z.number().int(), label: Words })),
  })
  .openapi('SurveyForm');

const rateLimited = {
  429: { description: 'Too many requests (Retry-After)', content: { 'application/problem+json': { schema: z.object({ code: z.string() }) } } },
};

const submitSurvey = createRoute({
  method: 'post',
  path: '/public/regions/{regionCode}/surveys',
  tags: ['public'],
  summary: 'Submit a citizen-satisfaction survey (no sign-in; rate limited)',
  request: { params: RegionParam, ...jsonBody(SurveyInput) },
  responses: { 201: ok(SurveyCreated, 'Recorded'), ...publicProblems, 404: problems[404], 409: problems[409], ...rateLimited },
});

const surveySummary = createRoute({
  method: 'get',
  path: '/public/regions/{regionCode}/surveys/summary',
  tags: ['public'],
  summary: 'Aggregate satisfaction of the region or one unit (mean, count)',
  request: { params: RegionParam, query: z.object({ unitCode: Code.optional() }).strict() },
  responses: { 200: ok(SurveySummary), 404: problems[404], 422: problems[422], ...rateLimited },
});

const surveyForm = createRoute({
  method: 'get',
  path: '/public/regions/{regionCode}/survey-form',
  tags: ['public'],
  summary: 'What the public survey form shows (no sign-in): the region, its units, known services, the questions in Bahasa Indonesia and English',
  request: { params: RegionParam },
  responses: { 200: ok(SurveyFormSchema), 404: problems[404], 422: problems[422], ...rateLimited },
});

/** how many known services the form suggests */
const FORM_SERVICES = 50;

// ------------------------------------------------------------------------------------------------ helpers

// C0 except tab/newline, DEL, C1, bidi embeddings/overrides/isolates, zero-width and BOM
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** Comment as stored: NFC, CRLF → LF, tabs → space, control characters removed, trimmed; empty → null. */
export function cleanComment(s: string | undefined): string | null {
  if (s === undefined) return null;
  const out = s.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL, '').trim();
  return out === '' ? null : out;
}

const fe = (pointer: string, code: string, id: string, en: string, lang: Lang): FieldError => ({
  pointer,
  field: pointer.split('/').filter(Boolean).pop() ?? '',
  code,
  message: lang === 'en' ? en : id,
});

const round2 = (n: number) => Math.round(n * 100) / 100;

// ------------------------------------------------------------------------------------------------ IKM (PermenPANRB 14/2017)

type WordsOf = z.infer<typeof Words>;
/** The answer scale every element shares: 1 (worst) … 4 (best). */
const SCALE: readonly WordsOf[] = [
  { id: 'Tidak baik', en: 'Poor' },
  { id: 'Kurang baik', en: 'Fair' },
  { id: 'Baik', en: 'Good' },
  { id: 'Sangat baik', en: 'Very good' },
];
const SCORE_QUESTION: WordsOf = { id: 'Seberapa puas Anda dengan pelayanan kami?', en: 'How satisfied are you with our service?' };
const SCORE_LABELS: readonly WordsOf[] = [
  { id: 'Sangat tidak puas', en: 'Very dissatisfied' },
  { id: 'Tidak puas', en: 'Dissatisfied' },
  { id: 'Cukup', en: 'Neutral' },
  { id: 'Puas', en: 'Satisfied' },
  { id: 'Sangat puas', en: 'Very satisfied' },
];
/** The nine elements (unsur) of the citizens' satisfaction survey, in the regulation's order. */
export const SURVEY_ELEMENTS: readonly { id: string; name: WordsOf; question: WordsOf }[] = [
  {
    id: 'U1',
    name: { id: 'Persyaratan', en: 'Requirements' },
    question: {
      id: 'Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?',
      en: 'How well do the requirements fit the service?',
    },
  },
  {
    id: 'U2',
    name: { id: 'Sistem, mekanisme dan prosedur', en: 'System, mechanism and procedure' },
    question: { id: 'Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?', en: 'How easy is the service procedure in this unit?' },
  },
  {
    id: 'U3',
    name: { id: 'Waktu penyelesaian', en: 'Completion time' },
    question: { id: 'Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?', en: 'How fast was the service delivered?' },
  },
  {
    id: 'U4',
    name: { id: 'Biaya/tarif', en: 'Cost/fee' },
    question: { id: 'Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?', en: 'How fair is the cost or fee of the service?' },
  },
  {
    id: 'U5',
    name: { id: 'Produk spesifikasi jenis pelayanan', en: 'Service product' },
    question: {
      id: 'Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?',
      en: 'How well does what you received match the service standard?',
    },
  },
  {
    id: 'U6',
    name: { id: 'Kompetensi pelaksana', en: 'Staff competence' },
    question: { id: 'Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?', en: 'How competent were the staff?' },
  },
  {
    id: 'U7',
    name: { id: 'Perilaku pelaksana', en: 'Staff conduct' },
    question: {
      id: 'Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?',
      en: 'How polite and friendly were the staff?',
    },
  },
  {
    id: 'U8',
    name: { id: 'Penanganan pengaduan, saran dan masukan', en: 'Complaints and suggestions' },
    question: { id: 'Bagaimana pendapat Saudara tentang kualitas penanganan pengaduan pengguna layanan?', en: 'How well are complaints handled?' },
  },
  {
    id: 'U9',
    name: { id: 'Sarana dan prasarana', en: 'Facilities' },
    question: { id: 'Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?', en: 'How good are the facilities?' },
  },
];

/** The mutu (quality grade) and kinerja (performance) of an IKM value, from the regulation's intervals (IKM 25..100). */
const MUTU: readonly { min: number; mutu: 'A' | 'B' | 'C' | 'D'; kinerja: WordsOf }[] = [
  { min: 88.31, mutu: 'A', kinerja: { id: 'Sangat baik', en: 'Very good' } },
  { min: 76.61, mutu: 'B', kinerja: { id: 'Baik', en: 'Good' } },
  { min: 65, mutu: 'C', kinerja: { id: 'Kurang baik', en: 'Fair' } },
  { min: 25, mutu: 'D', kinerja: { id: 'Tidak baik', en: 'Poor' } },
];

/** An IKM value (25..100, two decimals) with its mutu and kinerja. */
export const IkmGradeSchema = z.object({ ikm: z.number(), mutu: z.enum(['A', 'B', 'C', 'D']), kinerja: Words }).openapi('IkmGrade');
export type IkmGrade = z.infer<typeof IkmGradeSchema>;
export const IkmSchema = IkmGradeSchema.extend({
  /** responses that answered every element */
  responses: z.number().int(),
  /** each element's mean answer (1..4), in SURVEY_ELEMENTS' order */
  elements: z.array(z.object({ id: z.string(), mean: z.number() })),
}).openapi('Ikm');
export type Ikm = z.infer<typeof IkmSchema>;

/** The IKM of a mean on the 1..4 scale (nilai rata-rata × 25), graded. */
function grade(mean4: number): IkmGrade {
  const ikm = round2(mean4 * 25);
  const g = MUTU.find((m) => ikm >= m.min) ?? MUTU.at(-1)!;
  return { ikm, mutu: g.mutu, kinerja: g.kinerja };
}

/**
 * The IKM of a set of responses, each answering every element 1..4 (in SURVEY_ELEMENTS' order): the nilai rata-rata
 * of each element, weighted equally (1/9), × 25. Null without responses.
 */
export function ikmOf(answers: readonly (readonly number[])[]): Ikm | null {
  if (answers.length === 0) return null;
  const elements = SURVEY_ELEMENTS.map((e, i) => ({ id: e.id, mean: answers.reduce((sum, a) => sum + a[i]!, 0) / answers.length }));
  const mean4 = elements.reduce((sum, e) => sum + e.mean, 0) / elements.length;
  return { ...grade(mean4), responses: answers.length, elements: elements.map((e) => ({ id: e.id, mean: round2(e.mean) })) };
}

/**
 * The IKM of a mean of 1..5 scores, on the scale of the rules' fact satisfactionMean, so the admin sees the index
 * the rule sets judge. Null without responses.
 */
export function ikmOfScoreMean(mean5: number | null): IkmGrade | null {
  return mean5 === null ? null : grade(satisfactionOnSkmScale(mean5));
}

// ------------------------------------------------------------------------------------------------ routes

export function publicRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;
  const config = deps.config.publicSurvey;
  const submitBuckets = new TokenBuckets(config.submitBurst, config.submitPerMinute, config.maxClients);
  const readBuckets = new TokenBuckets(config.readBurst, config.readPerMinute, config.maxClients);
  const salt = config.clientSalt ?? createHmac('sha256', deps.config.jwtSecret).update('kinerja/survey-client-salt').digest('base64url');
  const hashClient = (address: string) => createHmac('sha256', salt).update(`survey-client:${address}`).digest('base64url');

  const limit = (buckets: TokenBuckets) => limitPerClient(buckets, config.trustedProxies, deps.now);

  const router = newRouter();
  // the buckets come before validation: malformed requests cost a token as well
  router.on('POST', '/public/regions/:regionCode/surveys', limit(submitBuckets));
  router.on('GET', '/public/regions/:regionCode/surveys/summary', limit(readBuckets));
  router.on('GET', '/public/regions/:regionCode/survey-form', limit(readBuckets));

  return router
    .openapi(submitSurvey, async (c) => {
      const { regionCode } = c.req.valid('param');
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const address = clientAddress(c, config.trustedProxies);
      if (input.website !== undefined && input.website.trim() !== '') {
        submitBuckets.drain(address, deps.now().getTime());
        throw new ProblemError('VALIDATION_FAILED', { errors: [fe('/website', 'must_be_empty', 'harus dikosongkan', 'must be empty', lang)] });
      }
      if (!input.unitCode && !input.employeeNip && !input.service) {
        throw new ProblemError('VALIDATION_FAILED', {
          // the form's first choice is the unit: the problem shows there
          errors: [
            fe('/unitCode', 'target_required', 'pilih unit (atau isi employeeNip atau service)', 'choose a unit (or give employeeNip or service)', lang),
          ],
        });
      }
      // unknown region, unit or employee: the same bare 404, nothing else is said
      const region = await prisma.region.findUnique({ where: { code: regionCode }, select: { id: true } });
      if (!region) throw new ProblemError('NOT_FOUND');
      let unitId: string | null = null;
      if (input.unitCode) {
        const unit = await prisma.unit.findUnique({ where: { regionId_code: { regionId: region.id, code: input.unitCode } }, select: { id: true } });
        if (!unit) throw new ProblemError('NOT_FOUND');
        unitId = unit.id;
      }
      let employeeId: string | null = null;
      if (input.employeeNip) {
        const emp = await prisma.employee.findUnique({
          where: { regionId_nip: { regionId: region.id, nip: input.employeeNip } },
          select: { id: true, unitId: true, status: true },
        });
        if (!emp || emp.status !== 'ACTIVE' || (unitId !== null && emp.unitId !== unitId)) throw new ProblemError('NOT_FOUND');
        employeeId = emp.id;
      }
      const service = input.service ? cleanComment(input.service) : null;
      const clientHash = hashClient(address);
      const now = deps.now();
      const since = new Date(now.getTime() - config.duplicateMinutes * 60_000);
      const created = await prisma.$transaction(async (tx) => {
        // serialises check-and-insert per client; the key is already a hash, hashtext folds it to the lock's int
        await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${`survey:${clientHash}`}))) AS l`;
        const dup = await tx.surveyResponse.findFirst({
          where: { regionId: region.id, clientHash, unitId, employeeId, service, createdAt: { gte: since } },
          select: { id: true },
        });
        if (dup) {
          throw new ProblemError('CONFLICT', {
            detail: { id: 'Anda sudah mengisi survei untuk layanan ini; coba lagi nanti.', en: 'You already rated this service recently; try again later.' },
          });
        }
        return tx.surveyResponse.create({
          data: { regionId: region.id, unitId, employeeId, service, score: input.score, comment: cleanComment(input.comment), clientHash, createdAt: now },
          select: { id: true },
        });
      });
      return c.json({ id: created.id }, 201);
    })
    .openapi(surveyForm, async (c) => {
      const region = await prisma.region.findUnique({ where: { code: c.req.valid('param').regionCode }, select: { id: true, code: true, name: true } });
      if (!region) throw new ProblemError('NOT_FOUND');
      const [units, services] = await Promise.all([
        prisma.unit.findMany({
          where: { regionId: region.id },
          orderBy: { code: 'asc' },
          select: { id: true, code: true, name: true, kind: true, parentId: true },
        }),
        prisma.surveyResponse.groupBy({
          by: ['service'],
          where: { regionId: region.id, service: { not: null } },
          _count: { _all: true },
          orderBy: [{ _count: { service: 'desc' } }, { service: 'asc' }],
          take: FORM_SERVICES,
        }),
      ]);
      const codeOf = new Map(units.map((u) => [u.id, u.code]));
      return c.json(
        {
          region: { code: region.code, name: region.name },
          units: units.map((u) => ({ code: u.code, name: u.name, kind: u.kind, parentCode: u.parentId ? (codeOf.get(u.parentId) ?? null) : null })),
          services: services.flatMap((s) => (s.service ? [s.service] : [])),
          score: { min: 1 as const, max: 5 as const, question: SCORE_QUESTION, labels: [...SCORE_LABELS] },
          elements: SURVEY_ELEMENTS.map((e) => ({ id: e.id, name: e.name, question: e.question })),
          scale: SCALE.map((label, i) => ({ value: i + 1, label })),
        },
        200,
      );
    })
    .openapi(surveySummary, async (c) => {
      const { regionCode } = c.req.valid('param');
      const { unitCode } = c.req.valid('query');
      const region = await prisma.region.findUnique({ where: { code: regionCode }, select: { id: true } });
      if (!region) throw new ProblemError('NOT_FOUND');
      let unitId: string | undefined;
      if (unitCode) {
        const unit = await prisma.unit.findUnique({ where: { regionId_code: { regionId: region.id, code: unitCode } }, select: { id: true } });
        if (!unit) throw new ProblemError('NOT_FOUND');
        unitId = unit.id;
      }
      const agg = await prisma.surveyResponse.aggregate({
        where: { regionId: region.id, ...(unitId ? { unitId } : {}) },
        _avg: { score: true },
        _count: { _all: true },
      });
      const mean = agg._avg.score;
      return c.json({ mean: mean === null ? null : round2(Number(mean)), count: agg._count._all }, 200);
    });
}
