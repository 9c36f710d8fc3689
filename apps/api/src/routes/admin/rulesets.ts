import { createRoute, z } from '@hono/zod-openapi';
import type { Prisma } from '@kinerja/db';
import { cleanJsonObject, idText, text } from '@kinerja/domain';
import { contentHash, demoRuleSet, diffRuleSets, documentBounds, nationalRuleSet, regionPacks, validateRuleSet, type RuleSetDocument } from '@kinerja/rules';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError } from '../../problem.js';
import { recordAnswer } from '../../idempotency.js';
import { bearer, jsonBody, newRouter, ok, problems } from '../../router.js';
import { IsoDateTime, JsonObjectSchema, JsonValueSchema, type JsonValue } from '../../schemas.js';
import { audit, RegionParams } from './common.js';
import { findVersion, RsParams, rulesetProblem, validDoc, VerParams, type VersionRow } from './ruleset-common.js';

const tags = ['admin: rule sets'];
const base = '/admin/regions/{regionCode}/rule-sets';

export const PACKS: Record<string, RuleSetDocument> = { national: nationalRuleSet, 'national-demo': demoRuleSet, ...regionPacks };

const CreateRuleSet = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    name: text({ min: 3, max: 200 }),
    from: z.union([z.object({ pack: z.enum(Object.keys(PACKS) as [string, ...string[]]) }).strict(), z.object({ versionId: idText(64) }).strict()]),
  })
  .strict()
  .openapi('CreateRuleSet');
const NewVersion = z
  .object({ fromVersionId: idText(64).optional() })
  .strict()
  .openapi('NewRuleSetVersion');
// a draft may be invalid as a rule set, but its strings must be storable (jsonb refuses NUL) and displayable
const EditDraft = z.object({ document: cleanJsonObject() }).strict().openapi('EditRuleSetDraft');

const VersionStatus = z.enum(['DRAFT', 'PUBLISHED']);
const RuleSetVersionSchema = z
  .object({
    id: z.string(),
    ruleSetId: z.string(),
    regionId: z.string(),
    version: z.number().int(),
    status: VersionStatus,
    /** the rule-set document; a draft may not (yet) be a valid rule set */
    document: JsonObjectSchema,
    /** set when published */
    contentHash: z.string().nullable(),
    createdAt: IsoDateTime,
    createdBy: z.string().nullable(),
    publishedAt: IsoDateTime.nullable(),
    publishedBy: z.string().nullable(),
  })
  .openapi('RuleSetVersion');
const RuleSetSchema = z.object({ id: z.string(), regionId: z.string(), key: z.string(), name: z.string(), createdAt: IsoDateTime }).openapi('RuleSet');
const RuleSetListSchema = z
  .object({
    items: z.array(
      RuleSetSchema.extend({
        versions: z.array(
          z.object({
            id: z.string(),
            version: z.number().int(),
            status: VersionStatus,
            contentHash: z.string().nullable(),
            createdAt: IsoDateTime,
            publishedAt: IsoDateTime.nullable(),
          }),
        ),
      }),
    ),
    /** packs a new rule set can start from */
    packs: z.array(z.string()),
  })
  .openapi('RuleSetList');
const RuleSetCreatedSchema = z.object({ ruleSet: RuleSetSchema, version: RuleSetVersionSchema }).openapi('RuleSetCreated');
const RuleSetValidationErrorSchema = z
  .object({ pointer: z.string(), code: z.string(), message: z.string(), messageEn: z.string() })
  .openapi('RuleSetValidationError');
const DraftEditedSchema = z
  .object({ version: RuleSetVersionSchema, validation: z.object({ ok: z.boolean(), errors: z.array(RuleSetValidationErrorSchema) }) })
  .openapi('RuleSetDraftEdited');
const RuleSetValidSchema = z.object({ ok: z.literal(true), contentHash: z.string() }).openapi('RuleSetValid');
const VersionRef = z.object({ id: z.string(), version: z.number().int() });
const RuleSetDiffSchema = z
  .object({
    from: VersionRef,
    to: VersionRef,
    changes: z.array(
      z.object({ pointer: z.string(), op: z.enum(['add', 'remove', 'replace']), before: JsonValueSchema.optional(), after: JsonValueSchema.optional() }),
    ),
  })
  .openapi('RuleSetDiff');

const listRoute = createRoute({
  method: 'get',
  path: base,
  tags,
  security: bearer,
  summary: 'Rule sets with their versions; available packs',
  request: { params: RegionParams },
  responses: { 200: ok(RuleSetListSchema), ...problems },
});
const createRs = createRoute({
  method: 'post',
  path: base,
  tags,
  security: bearer,
  summary: 'New rule set with a draft v1 from a pack or a copy of a version',
  request: { params: RegionParams, ...jsonBody(CreateRuleSet) },
  responses: { 201: ok(RuleSetCreatedSchema, 'Created'), ...problems },
});
const newVersion = createRoute({
  method: 'post',
  path: `${base}/{ruleSetId}/versions`,
  tags,
  security: bearer,
  summary: 'New draft version (copy of a version, default the latest)',
  request: { params: RsParams, ...jsonBody(NewVersion) },
  responses: { 201: ok(RuleSetVersionSchema, 'Created'), ...problems },
});
const getVersion = createRoute({
  method: 'get',
  path: `${base}/{ruleSetId}/versions/{versionId}`,
  tags,
  security: bearer,
  summary: 'One version with its document',
  request: { params: VerParams },
  responses: { 200: ok(RuleSetVersionSchema), ...problems },
});
const editDraft = createRoute({
  method: 'put',
  path: `${base}/{ruleSetId}/versions/{versionId}`,
  tags,
  security: bearer,
  summary: 'Replace a draft document (published versions are immutable: 409)',
  request: { params: VerParams, ...jsonBody(EditDraft) },
  responses: { 200: ok(DraftEditedSchema), ...problems },
});
const validateRoute = createRoute({
  method: 'post',
  path: `${base}/{ruleSetId}/versions/{versionId}/validate`,
  tags,
  security: bearer,
  summary: 'Validate a version (422 RULESET_INVALID with JSON pointers into the document)',
  request: { params: VerParams },
  responses: { 200: ok(RuleSetValidSchema), ...problems },
});
const publishRoute = createRoute({
  method: 'post',
  path: `${base}/{ruleSetId}/versions/{versionId}/publish`,
  tags,
  security: bearer,
  summary: 'Publish a valid draft: immutable, with contentHash',
  request: { params: VerParams },
  responses: { 200: ok(RuleSetVersionSchema), ...problems },
});
const diffRoute = createRoute({
  method: 'get',
  path: `${base}/{ruleSetId}/diff`,
  tags,
  security: bearer,
  summary: 'Differences between two versions (JSON pointers)',
  request: { params: RsParams, query: z.object({ from: idText(64), to: idText(64) }).strict() },
  responses: { 200: ok(RuleSetDiffSchema), ...problems },
});

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
/** A version as RuleSetVersion describes it: documents are stored only from JSON objects (a pack, a copy, a draft edit). */
const versionBody = (v: VersionRow) => ({ ...v, document: v.document as { [key: string]: JsonValue } });

export function ruleSetRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;

  return newRouter()
    .openapi(listRoute, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const items = await prisma.ruleSet.findMany({
        where: { regionId: region.id },
        orderBy: { key: 'asc' },
        include: {
          versions: { orderBy: { version: 'asc' }, select: { id: true, version: true, status: true, contentHash: true, createdAt: true, publishedAt: true } },
        },
      });
      return c.json({ items, packs: Object.keys(PACKS) }, 200);
    })
    .openapi(createRs, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const input = c.req.valid('json');
      let document: unknown;
      if ('pack' in input.from) document = structuredClone(PACKS[input.from.pack]);
      else {
        const src = await prisma.ruleSetVersion.findFirst({ where: { id: input.from.versionId, regionId: region.id } });
        if (!src)
          throw new ProblemError('VALIDATION_FAILED', {
            errors: [
              {
                pointer: '/from/versionId',
                field: 'versionId',
                code: 'unknown_version',
                message: c.get('lang') === 'en' ? 'version not found' : 'versi tidak ditemukan',
              },
            ],
          });
        document = src.document;
      }
      const doc = { ...(document as Record<string, unknown>), key: input.key, name: input.name };
      const out = await prisma.$transaction(async (tx) => {
        if (await tx.ruleSet.findUnique({ where: { regionId_key: { regionId: region.id, key: input.key } } })) {
          throw new ProblemError('CONFLICT', { detail: { id: 'Kunci aturan sudah dipakai.', en: 'The rule set key is already used.' } });
        }
        const rs = await tx.ruleSet.create({ data: { regionId: region.id, key: input.key, name: input.name } });
        const v = await tx.ruleSetVersion.create({
          data: { ruleSetId: rs.id, regionId: region.id, version: 1, document: asJson(doc), createdBy: c.get('user').userId },
        });
        await audit(tx, c, region.id, 'ruleset.create', 'RuleSet', rs.id, null, { key: rs.key, from: input.from, versionId: v.id });
        return { ruleSet: rs, version: versionBody(v) };
      });
      return c.json(out, 201);
    })
    .openapi(newVersion, async (c) => {
      const { regionCode, ruleSetId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const v = await prisma.$transaction(async (tx) => {
        const rs = await tx.ruleSet.findFirst({ where: { id: ruleSetId, regionId: region.id }, include: { versions: { orderBy: { version: 'desc' } } } });
        if (!rs) throw new ProblemError('NOT_FOUND');
        const src = input.fromVersionId ? rs.versions.find((x) => x.id === input.fromVersionId) : rs.versions[0];
        if (!src)
          throw new ProblemError('VALIDATION_FAILED', {
            errors: [
              {
                pointer: '/fromVersionId',
                field: 'fromVersionId',
                code: 'unknown_version',
                message: c.get('lang') === 'en' ? 'version not found' : 'versi tidak ditemukan',
              },
            ],
          });
        const created = await tx.ruleSetVersion.create({
          data: {
            ruleSetId,
            regionId: region.id,
            version: (rs.versions[0]?.version ?? 0) + 1,
            document: asJson(src.document),
            createdBy: c.get('user').userId,
          },
        });
        await audit(tx, c, region.id, 'ruleset.version.create', 'RuleSetVersion', created.id, null, { version: created.version, from: src.id });
        // run again, this write would make the next version a second time: a keyed retry replays this answer instead
        await recordAnswer(tx, c, 201, versionBody(created));
        return versionBody(created);
      });
      return c.json(v, 201);
    })
    .openapi(getVersion, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      return c.json(versionBody(await findVersion(prisma, region.id, ruleSetId, versionId)), 200);
    })
    .openapi(editDraft, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const { document } = c.req.valid('json');
      // a draft may be invalid as a rule set, but never deeper or larger than what can be stored, hashed and diffed
      const bounds = documentBounds(document);
      if (bounds.length > 0) throw rulesetProblem(bounds, c.get('lang'));
      const out = await prisma.$transaction(async (tx) => {
        const v = await tx.ruleSetVersion.findFirst({ where: { id: versionId, ruleSetId, regionId: region.id } });
        if (!v) throw new ProblemError('NOT_FOUND');
        if (v.status !== 'DRAFT')
          throw new ProblemError('CONFLICT', { detail: { id: 'Versi yang sudah terbit tidak dapat diubah.', en: 'A published version is immutable.' } });
        // conditional on still being a draft: a concurrent publish wins
        const upd = await tx.ruleSetVersion.updateMany({ where: { id: versionId, status: 'DRAFT' }, data: { document: asJson(document) } });
        if (upd.count !== 1) throw new ProblemError('CONFLICT');
        await audit(tx, c, region.id, 'ruleset.version.edit', 'RuleSetVersion', versionId, { hash: contentHash(v.document) }, { hash: contentHash(document) });
        return tx.ruleSetVersion.findUniqueOrThrow({ where: { id: versionId } });
      });
      const validation = validateRuleSet(document);
      return c.json({ version: versionBody(out), validation: { ok: validation.ok, errors: validation.errors } }, 200);
    })
    .openapi(validateRoute, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const v = await findVersion(prisma, region.id, ruleSetId, versionId);
      validDoc(v.document, c.get('lang'));
      return c.json({ ok: true as const, contentHash: contentHash(v.document) }, 200);
    })
    .openapi(publishRoute, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const lang = c.get('lang');
      const out = await prisma.$transaction(async (tx) => {
        const v = await tx.ruleSetVersion.findFirst({ where: { id: versionId, ruleSetId, regionId: region.id } });
        if (!v) throw new ProblemError('NOT_FOUND');
        if (v.status !== 'DRAFT') throw new ProblemError('CONFLICT', { detail: { id: 'Versi ini sudah terbit.', en: 'This version is already published.' } });
        validDoc(v.document, lang);
        const hash = contentHash(v.document);
        const now = deps.now();
        const upd = await tx.ruleSetVersion.updateMany({
          where: { id: versionId, status: 'DRAFT' },
          data: { status: 'PUBLISHED', contentHash: hash, publishedAt: now, publishedBy: c.get('user').userId },
        });
        if (upd.count !== 1) throw new ProblemError('CONFLICT');
        await audit(tx, c, region.id, 'ruleset.version.publish', 'RuleSetVersion', versionId, { status: 'DRAFT' }, { status: 'PUBLISHED', contentHash: hash });
        return tx.ruleSetVersion.findUniqueOrThrow({ where: { id: versionId } });
      });
      return c.json(versionBody(out), 200);
    })
    .openapi(diffRoute, async (c) => {
      const { regionCode, ruleSetId } = c.req.valid('param');
      const q = c.req.valid('query');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const [a, b] = await Promise.all([findVersion(prisma, region.id, ruleSetId, q.from), findVersion(prisma, region.id, ruleSetId, q.to)]);
      return c.json(
        {
          from: { id: a.id, version: a.version },
          to: { id: b.id, version: b.version },
          changes: diffRuleSets(a.document, b.document).map((d) => ({
            ...d,
            before: d.before as JsonValue | undefined,
            after: d.after as JsonValue | undefined,
          })),
        },
        200,
      );
    });
}
